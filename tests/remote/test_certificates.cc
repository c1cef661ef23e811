#include "tests/remote/test_certificates.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace taskqueue_test {
namespace {

void Run(const std::string& command) {
  std::string quiet = command + " >/dev/null 2>&1";
  if (std::system(quiet.c_str()) != 0) {
    throw std::runtime_error("failed: " + command);
  }
}

// A P-256 key and a certificate for `name` signed by CA `ca` (its .pem and
// .key in `dir`).
void Issue(const std::string& dir, const std::string& ca,
           const std::string& name) {
  std::string base = dir + "/" + name;
  Run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -keyout " +
      base + ".key -out " + base + ".csr -subj /CN=" + name);
  Run("openssl x509 -req -days 2 -in " + base + ".csr -CA " + dir + "/" + ca +
      ".pem -CAkey " + dir + "/" + ca + ".key -CAcreateserial -out " + base +
      ".pem");
}

void MakeCa(const std::string& dir, const std::string& name) {
  std::string base = dir + "/" + name;
  Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -days 2 -keyout " +
      base + ".key -out " + base + ".pem -subj /CN=" + name);
}

TestCertificates Make() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  TestCertificates c;
  c.dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/certificates";
  Run("mkdir -p " + c.dir);
  MakeCa(c.dir, "fleet-ca");
  MakeCa(c.dir, "rogue-ca");
  Issue(c.dir, "fleet-ca", "queue");
  Issue(c.dir, "fleet-ca", "node");
  Issue(c.dir, "rogue-ca", "rogue");
  c.encrypted_node_key = c.dir + "/node.enc.key";
  Run("openssl pkey -in " + c.dir + "/node.key -aes256 -passout 'pass:" +
      c.passphrase + "' -out " + c.encrypted_node_key);
  auto options = [&](const std::string& name, const std::string& ca) {
    return taskqueue::TlsOptions{.certificate = c.dir + "/" + name + ".pem",
                                 .private_key = c.dir + "/" + name + ".key",
                                 .ca_file = c.dir + "/" + ca + ".pem"};
  };
  c.queue = options("queue", "fleet-ca");
  c.node = options("node", "fleet-ca");
  c.rogue = options("rogue", "rogue-ca");
  return c;
}

}  // namespace

const TestCertificates& Certificates() {
  static const TestCertificates* certificates = new TestCertificates(Make());
  return *certificates;
}

std::string NodeTlsFlags(const taskqueue::TlsOptions& tls) {
  return "--tls_certificate=" + tls.certificate +
         " --tls_key=" + tls.private_key + " --tls_ca=" + tls.ca_file;
}

}  // namespace taskqueue_test
