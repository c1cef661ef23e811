// The TLS flags of taskqueue's binaries (the worker node, the queue server,
// taskqueue_ctl): --tls_certificate, --tls_key and --tls_ca, and the key's
// passphrase from $TASKQUEUE_TLS_PASSPHRASE (not a flag: a command line is
// visible to every user of the host). Link //tools/tls_flags and call
// TlsFromFlags() after absl::ParseCommandLine.
#ifndef TASKQUEUE_TOOLS_TLS_FLAGS_TLS_FLAGS_H_
#define TASKQUEUE_TOOLS_TLS_FLAGS_TLS_FLAGS_H_

#include <optional>

#include "taskqueue/tls_options.h"

namespace taskqueue_tools {

// Unset when none of the three flags is given; otherwise what they say, to
// be checked where it is used (TransportSecurity names a missing file).
std::optional<taskqueue::TlsOptions> TlsFromFlags();

}  // namespace taskqueue_tools

#endif  // TASKQUEUE_TOOLS_TLS_FLAGS_TLS_FLAGS_H_
