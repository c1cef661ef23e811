#include "actors/remote/transport_security.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "caf/io/middleman.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/settings.hpp"

namespace taskqueue::internal {
namespace {

constexpr uint32_t kFewestMessageBytes = 64 << 10;
constexpr uint32_t kMostMessageBytes = 1 << 30;

[[noreturn]] void Refuse(const std::string& options, const std::string& why) {
  throw std::invalid_argument("taskqueue: " + options + ": " + why);
}

// OpenSSL's reasons for the last failure, oldest first; empties its
// per-thread queue, which CAF's sessions on this thread would read.
std::string TakeOpenSslErrors() {
  std::string all;
  while (unsigned long error = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(error, text, sizeof(text));
    if (!all.empty()) all += "; ";
    all += text;
  }
  return all.empty() ? "no reason given" : all;
}

int Passphrase(char* buffer, int size, int, void* passphrase) {
  const std::string& text = *static_cast<const std::string*>(passphrase);
  if (size <= 0 || text.size() >= static_cast<size_t>(size)) return 0;
  std::memcpy(buffer, text.data(), text.size());
  return static_cast<int>(text.size());
}

// Loads the files as CAF will, so that a mistake is an error now, naming
// the file, and not an exception on CAF's network thread at the first
// connection (CAF_RAISE_ERROR in its session), which would end the process.
void CheckTlsFiles(const std::string& options, const TlsOptions& tls) {
  if (tls.certificate.empty() || tls.private_key.empty() ||
      tls.ca_file.empty()) {
    Refuse(options,
           "TLS needs certificate, private_key and ca_file (without them "
           "CAF would use anonymous TLS, which authenticates nobody)");
  }
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(
      SSL_CTX_new(TLS_method()), &SSL_CTX_free);
  if (context == nullptr) {
    Refuse(options, "OpenSSL: " + TakeOpenSslErrors());
  }
  auto fail = [&](const std::string& what) {
    Refuse(options, what + ": " + TakeOpenSslErrors());
  };
  SSL_CTX* ctx = context.get();
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.certificate.c_str()) != 1) {
    fail("cannot load the certificate " + tls.certificate);
  }
  SSL_CTX_set_default_passwd_cb(ctx, Passphrase);
  SSL_CTX_set_default_passwd_cb_userdata(
      ctx, const_cast<std::string*>(&tls.passphrase));
  if (SSL_CTX_use_PrivateKey_file(ctx, tls.private_key.c_str(),
                                  SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      fail("the private key " + tls.private_key + " is not the key of " +
           tls.certificate);
    }
    fail("cannot load the private key " + tls.private_key +
         (tls.passphrase.empty() ? " (encrypted? set passphrase)"
                                 : " (wrong passphrase?)"));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    fail("the private key " + tls.private_key + " is not the key of " +
         tls.certificate);
  }
  if (SSL_CTX_load_verify_locations(ctx, tls.ca_file.c_str(), nullptr) != 1) {
    fail("cannot load the CA certificates " + tls.ca_file);
  }
  ERR_clear_error();
}

}  // namespace

TransportSecurity::TransportSecurity(const std::string& options,
                                     const std::string& host,
                                     const std::optional<TlsOptions>& tls,
                                     bool allow_insecure_remote,
                                     uint32_t max_message_bytes)
    : tls_(tls), max_message_bytes_(max_message_bytes) {
  if (max_message_bytes < kFewestMessageBytes ||
      max_message_bytes > kMostMessageBytes) {
    Refuse(options, "max_message_bytes must be between 64 KiB and 1 GiB");
  }
  if (tls) {
    CheckTlsFiles(options, *tls);
  } else if (!IsLoopbackHost(host) && !allow_insecure_remote) {
    Refuse(options, host +
                        " is not loopback: without TLS anyone who reaches "
                        "it can take part in the queue (and read every task); "
                        "set tls, or allow_insecure_remote to do it anyway");
  }
}

void TransportSecurity::Configure(caf::actor_system_config& config) const {
  config.load<caf::io::middleman>();
  // Read by our patch of CAF's BASP (tools/bazel/caf_patches/); not an
  // option CAF declares, so set() would refuse it.
  caf::put(config.content, "middleman.max-payload-bytes",
           size_t{max_message_bytes_});
  if (!tls_) return;
  config.load<caf::openssl::manager>();
  // All of them set: CAF verifies the peer's certificate on both sides.
  config.openssl_certificate = tls_->certificate;
  config.openssl_key = tls_->private_key;
  config.openssl_passphrase = tls_->passphrase;
  config.openssl_cafile = tls_->ca_file;
}

}  // namespace taskqueue::internal
