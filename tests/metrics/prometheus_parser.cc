#include "tests/metrics/prometheus_parser.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <sstream>

namespace taskqueue_test {
namespace {

bool NameChar(char c, bool first, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (colon && c == ':') || (!first && c >= '0' && c <= '9');
}

// Reads a name at `at`; empty if none.
std::string ReadName(const std::string& line, size_t& at, bool colon) {
  size_t begin = at;
  while (at < line.size() && NameChar(line[at], at == begin, colon)) ++at;
  return line.substr(begin, at - begin);
}

bool ParseNumber(const std::string& text, double* value) {
  if (text == "+Inf" || text == "Inf") {
    *value = std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "-Inf") {
    *value = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "NaN") {
    *value = std::nan("");
    return true;
  }
  if (text.empty()) return false;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// The family a series belongs to: a histogram's _bucket, _sum and _count
// series are its family's.
std::string FamilyOf(const std::string& name,
                     const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string s(suffix);
    if (name.size() > s.size() &&
        name.compare(name.size() - s.size(), s.size(), s) == 0) {
      std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return name;
}

}  // namespace

double PromPage::Value(const std::string& name,
                       const std::map<std::string, std::string>& labels) const {
  for (const PromSample& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  return std::nan("");
}

PromPage ParsePrometheusText(const std::string& text, std::string* error) {
  PromPage page;
  error->clear();
  std::set<std::string> sampled;  // Families whose samples began.
  std::string last_family;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& why) {
    *error = "line " + std::to_string(number) + ": " + why + ": " + line;
    return page;
  };
  if (!text.empty() && text.back() != '\n') {
    *error = "the page does not end with a newline";
    return page;
  }
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, kind, name;
      words >> hash >> kind >> name;
      if (kind != "HELP" && kind != "TYPE") continue;  // A comment.
      size_t at = 0;
      if (ReadName(name, at, true) != name || name.empty()) {
        return fail("bad family name");
      }
      std::string rest;
      std::getline(words, rest);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      if (sampled.count(name)) return fail("declared after its samples");
      if (kind == "TYPE") {
        if (page.types.count(name)) return fail("TYPE given twice");
        if (rest != "counter" && rest != "gauge" && rest != "histogram" &&
            rest != "summary" && rest != "untyped") {
          return fail("unknown type");
        }
        page.types[name] = rest;
      } else {
        if (page.help.count(name)) return fail("HELP given twice");
        page.help[name] = rest;
      }
      continue;
    }
    PromSample sample;
    size_t at = 0;
    sample.name = ReadName(line, at, true);
    if (sample.name.empty()) return fail("no metric name");
    if (at < line.size() && line[at] == '{') {
      ++at;
      while (at < line.size() && line[at] != '}') {
        std::string label = ReadName(line, at, false);
        if (label.empty()) return fail("bad label name");
        if (line.compare(at, 2, "=\"") != 0) return fail("no =\" after label");
        at += 2;
        std::string value;
        for (;; ++at) {
          if (at >= line.size()) return fail("unterminated label value");
          if (line[at] == '"') break;
          if (line[at] == '\\') {
            if (++at >= line.size()) return fail("bad escape");
            char c = line[at];
            if (c == 'n') {
              value += '\n';
            } else if (c == '\\' || c == '"') {
              value += c;
            } else {
              return fail("bad escape");
            }
          } else {
            value += line[at];
          }
        }
        ++at;  // The closing quote.
        if (sample.labels.count(label)) return fail("label given twice");
        sample.labels[label] = value;
        if (at < line.size() && line[at] == ',') ++at;
      }
      if (at >= line.size()) return fail("unterminated labels");
      ++at;  // '}'
    }
    if (at >= line.size() || line[at] != ' ') return fail("no value");
    std::istringstream rest(line.substr(at + 1));
    std::string value, timestamp, extra;
    rest >> value >> timestamp >> extra;
    if (!ParseNumber(value, &sample.value)) return fail("bad value");
    if (!extra.empty()) return fail("trailing text");
    std::string family = FamilyOf(sample.name, page.types);
    if (!page.types.count(family)) return fail("sample before its TYPE");
    if (family != last_family && sampled.count(family)) {
      return fail("family's samples not together");
    }
    sampled.insert(family);
    last_family = family;
    page.samples.push_back(std::move(sample));
  }
  // Histograms: cumulative buckets per label set, +Inf equal to _count.
  for (const auto& [family, type] : page.types) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<PromSample>>
        buckets;
    for (const PromSample& s : page.samples) {
      if (s.name != family + "_bucket") continue;
      auto labels = s.labels;
      if (!labels.count("le")) {
        *error = family + ": a bucket without le";
        return page;
      }
      labels.erase("le");
      buckets[labels].push_back(s);
    }
    for (const auto& [labels, series] : buckets) {
      double last_bound = -std::numeric_limits<double>::infinity();
      double last_count = 0;
      for (const PromSample& s : series) {
        double bound = 0;
        if (!ParseNumber(s.labels.at("le"), &bound) || bound <= last_bound ||
            s.value < last_count) {
          *error = family + ": buckets not cumulative in increasing le";
          return page;
        }
        last_bound = bound;
        last_count = s.value;
      }
      if (!std::isinf(last_bound) ||
          page.Value(family + "_count", labels) != last_count) {
        *error = family + ": the +Inf bucket is not the last or not _count";
        return page;
      }
    }
  }
  return page;
}

}  // namespace taskqueue_test
