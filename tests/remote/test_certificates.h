// TestCertificates: a throwaway PKI for the TLS tests, made with the openssl
// command-line tool under the test's temporary directory: a fleet CA with a
// certificate for the queue and one for a node, and a second, rogue CA with
// a node certificate of its own (valid, but not of the fleet).
#ifndef TASKQUEUE_TESTS_REMOTE_TEST_CERTIFICATES_H_
#define TASKQUEUE_TESTS_REMOTE_TEST_CERTIFICATES_H_

#include <string>

#include "taskqueue/tls_options.h"

namespace taskqueue_test {

struct TestCertificates {
  std::string dir;
  taskqueue::TlsOptions queue;  // Of the fleet CA.
  taskqueue::TlsOptions node;   // Of the fleet CA.
  taskqueue::TlsOptions rogue;  // Of the rogue CA, trusting only it.
  // The node's key again, encrypted with `passphrase`.
  std::string encrypted_node_key;
  std::string passphrase = "correct horse";
};

// Makes them once per process (the first call); throws std::runtime_error
// when the openssl tool fails.
const TestCertificates& Certificates();

// test_node's flags for `tls`.
std::string NodeTlsFlags(const taskqueue::TlsOptions& tls);

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_REMOTE_TEST_CERTIFICATES_H_
