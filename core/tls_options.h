// TlsOptions: mutual TLS between a listening TaskQueue and its worker nodes
// (ListenOptions::tls, NodeOptions::tls), through CAF's openssl module.
//
//   taskqueue::TlsOptions tls{.certificate = "queue.pem",
//                             .private_key = "queue.key",
//                             .ca_file = "fleet-ca.pem"};
//   taskqueue::QueueOptions options{
//       .num_workers = 0,
//       .listen = taskqueue::ListenOptions{.address = "0.0.0.0",
//                                          .port = 7070,
//                                          .registry = registry,
//                                          .tls = tls}};
//   // The node: NodeOptions{.host = "queue.example", .port = 7070,
//   //                       .tls = TlsOptions{"node.pem", "node.key", "",
//   //                                         "fleet-ca.pem"}}
//
// Contract:
//   * Both sides present a certificate and accept the peer only if its
//     certificate chains to a CA in `ca_file`: a node without one, or with
//     one from another CA, never reaches the queue, and a node does not talk
//     to an impostor queue. Host names are not checked: whoever holds a
//     certificate of that CA is trusted, so give the fleet a CA of its own.
//   * TLS 1.2 or later. CAF 0.17.6 falls back to anonymous, unauthenticated
//     TLS when no certificate is set; that is refused here: `certificate`,
//     `private_key` and `ca_file` are all required.
//   * The files are read when the TaskQueue or WorkerNode is constructed,
//     which throws std::invalid_argument, naming the file and OpenSSL's
//     reason, when one is missing, unreadable, not PEM, or the key does not
//     match the certificate (or `passphrase` does not open it). CAF reads
//     them again for each connection: replacing them (with valid ones)
//     takes effect for the next connection.
#ifndef TASKQUEUE_CORE_TLS_OPTIONS_H_
#define TASKQUEUE_CORE_TLS_OPTIONS_H_

#include <string>

namespace taskqueue {

struct TlsOptions {
  // PEM: this side's certificate, then any intermediate CA certificates.
  std::string certificate;
  // PEM: the private key of `certificate`.
  std::string private_key;
  // Opens `private_key` if it is encrypted; empty if it is not.
  std::string passphrase;
  // PEM: the CA certificate(s) the peer's certificate must chain to.
  std::string ca_file;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TLS_OPTIONS_H_
