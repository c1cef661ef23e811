#include "actors/metrics/prometheus_text.h"

#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace taskqueue::internal {
namespace {

// [a-zA-Z_:][a-zA-Z0-9_:]* (label names: no colon).
bool ValidName(const std::string& name, bool colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void AppendEscaped(std::string& out, const std::string& text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  // The shortest of %.15g and %.17g that reads back as the same value.
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  if (std::strtod(buffer, nullptr) != value) {
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
  }
  return buffer;
}

}  // namespace

void PrometheusText::Family(const std::string& name, const std::string& type,
                            const std::string& help) {
  assert(ValidName(name, true));
  assert(type == "counter" || type == "gauge" || type == "histogram");
  absl::StrAppend(&text_, "# HELP ", name, " ");
  AppendEscaped(text_, help, /*quote=*/false);
  absl::StrAppend(&text_, "\n# TYPE ", name, " ", type, "\n");
}

void PrometheusText::Sample(const std::string& name, const Labels& labels,
                            double value) {
  assert(ValidName(name, true));
  text_ += name;
  if (!labels.empty()) {
    text_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      assert(ValidName(labels[i].first, false));
      absl::StrAppend(&text_, i > 0 ? "," : "", labels[i].first, "=\"");
      AppendEscaped(text_, labels[i].second, /*quote=*/true);
      text_ += '"';
    }
    text_ += '}';
  }
  absl::StrAppend(&text_, " ", Number(value), "\n");
}

void PrometheusText::Histogram(const std::string& name, const Labels& labels,
                               const std::vector<double>& bounds,
                               const std::vector<uint64_t>& cumulative,
                               uint64_t count, double sum) {
  assert(bounds.size() == cumulative.size());
  const std::string bucket = absl::StrCat(name, "_bucket");
  for (size_t i = 0; i < bounds.size(); ++i) {
    Labels with = labels;
    with.emplace_back("le", Number(bounds[i]));
    Sample(bucket, with, static_cast<double>(cumulative[i]));
  }
  Labels with = labels;
  with.emplace_back("le", "+Inf");
  Sample(bucket, with, static_cast<double>(count));
  Sample(absl::StrCat(name, "_sum"), labels, sum);
  Sample(absl::StrCat(name, "_count"), labels, static_cast<double>(count));
}

}  // namespace taskqueue::internal
