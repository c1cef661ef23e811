// XmlTree: a document parsed by Expat, a real XML parser, into a small tree
// of elements, so that the gradient-descent example's tests can check that
// its SVG plots and gallery page are well-formed and say what they should.
//
//   absl::StatusOr<std::unique_ptr<XmlElement>> svg = ParseXml(text);
//   ASSERT_TRUE(svg.ok()) << svg.status();   // e.g. "line 3: mismatched tag"
//   EXPECT_EQ((*svg)->FindAll("circle").size(), 1000);
#ifndef TASKQUEUE_TESTS_GRADIENT_DESCENT_XML_TREE_H_
#define TASKQUEUE_TESTS_GRADIENT_DESCENT_XML_TREE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gradient_descent {

struct XmlElement {
  // As written, with any prefix ("svg", "circle").
  std::string name;
  std::map<std::string, std::string> attributes;
  // The character data directly inside, entity references resolved.
  std::string text;
  std::vector<std::unique_ptr<XmlElement>> children;

  // The attribute's value, or "" if it is missing.
  std::string Attribute(const std::string& attribute) const;
  // This element and its descendants named `element`, in document order.
  std::vector<const XmlElement*> FindAll(absl::string_view element) const;
  // The first of FindAll(...) whose attribute id is `id`, or null.
  const XmlElement* FindById(absl::string_view id) const;
  // `text` of this element and all its descendants, concatenated.
  std::string AllText() const;
};

// The root element, or kInvalidArgument with Expat's message and the line
// when `document` is not well-formed XML.
absl::StatusOr<std::unique_ptr<XmlElement>> ParseXml(
    absl::string_view document);

}  // namespace gradient_descent

#endif  // TASKQUEUE_TESTS_GRADIENT_DESCENT_XML_TREE_H_
