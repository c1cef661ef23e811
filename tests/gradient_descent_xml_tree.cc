#include "tests/gradient_descent_xml_tree.h"

#include <expat.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gradient_descent {
namespace {

// What Expat's callbacks build: the root and the path to the open element.
struct Builder {
  std::unique_ptr<XmlElement> root;
  std::vector<XmlElement*> open;
};

void OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto* builder = static_cast<Builder*>(data);
  auto element = std::make_unique<XmlElement>();
  element->name = name;
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    element->attributes[attributes[i]] = attributes[i + 1];
  }
  XmlElement* raw = element.get();
  if (builder->open.empty()) {
    builder->root = std::move(element);
  } else {
    builder->open.back()->children.push_back(std::move(element));
  }
  builder->open.push_back(raw);
}

void OnEnd(void* data, const XML_Char*) {
  static_cast<Builder*>(data)->open.pop_back();
}

void OnText(void* data, const XML_Char* text, int length) {
  auto* builder = static_cast<Builder*>(data);
  if (!builder->open.empty()) builder->open.back()->text.append(text, length);
}

void Collect(const XmlElement& element, absl::string_view name,
             std::vector<const XmlElement*>& found) {
  if (element.name == name) found.push_back(&element);
  for (const auto& child : element.children) Collect(*child, name, found);
}

}  // namespace

std::string XmlElement::Attribute(const std::string& attribute) const {
  auto it = attributes.find(attribute);
  return it == attributes.end() ? "" : it->second;
}

std::vector<const XmlElement*> XmlElement::FindAll(
    absl::string_view element) const {
  std::vector<const XmlElement*> found;
  Collect(*this, element, found);
  return found;
}

const XmlElement* XmlElement::FindById(absl::string_view id) const {
  if (Attribute("id") == id) return this;
  for (const auto& child : children) {
    if (const XmlElement* found = child->FindById(id)) return found;
  }
  return nullptr;
}

std::string XmlElement::AllText() const {
  std::string all = text;
  for (const auto& child : children) all += child->AllText();
  return all;
}

absl::StatusOr<std::unique_ptr<XmlElement>> ParseXml(
    absl::string_view document) {
  XML_Parser parser = XML_ParserCreate("UTF-8");
  Builder builder;
  XML_SetUserData(parser, &builder);
  XML_SetElementHandler(parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser, OnText);
  XML_Status status =
      XML_Parse(parser, document.data(), static_cast<int>(document.size()),
                /*isFinal=*/XML_TRUE);
  absl::Status result;
  if (status != XML_STATUS_OK) {
    result = absl::InvalidArgumentError(
        absl::StrCat("line ", XML_GetCurrentLineNumber(parser), ": ",
                     XML_ErrorString(XML_GetErrorCode(parser))));
  }
  XML_ParserFree(parser);
  if (!result.ok()) return result;
  if (builder.root == nullptr) {
    return absl::InvalidArgumentError("no root element");
  }
  return std::move(builder.root);
}

}  // namespace gradient_descent
