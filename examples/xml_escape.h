// XmlEscape: text made safe to put inside an XML or HTML element or a quoted
// attribute, for the SVG plots and the gallery page.
#ifndef TASKQUEUE_EXAMPLES_XML_ESCAPE_H_
#define TASKQUEUE_EXAMPLES_XML_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gradient_descent {

// Replaces & < > " ' by their character references; keeps everything else.
std::string XmlEscape(absl::string_view text);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_XML_ESCAPE_H_
