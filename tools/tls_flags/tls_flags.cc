#include "tools/tls_flags/tls_flags.h"

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, tls_certificate, "",
          "PEM certificate of this process: mutual TLS with its peers (with "
          "--tls_key and --tls_ca; the key's passphrase, if any, in the "
          "environment variable TASKQUEUE_TLS_PASSPHRASE)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_certificate");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA certificate(s) the peers' certificates must chain to");

namespace taskqueue_tools {

std::optional<taskqueue::TlsOptions> TlsFromFlags() {
  std::string certificate = absl::GetFlag(FLAGS_tls_certificate);
  std::string key = absl::GetFlag(FLAGS_tls_key);
  std::string ca = absl::GetFlag(FLAGS_tls_ca);
  if (certificate.empty() && key.empty() && ca.empty()) return std::nullopt;
  const char* passphrase = std::getenv("TASKQUEUE_TLS_PASSPHRASE");
  return taskqueue::TlsOptions{
      .certificate = certificate,
      .private_key = key,
      .passphrase = passphrase != nullptr ? passphrase : "",
      .ca_file = ca,
  };
}

}  // namespace taskqueue_tools
