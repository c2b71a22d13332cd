// HTTPS: `probity serve --tls-cert --tls-key` serves HTTPS with TLS 1.2 at least, sends
// Strict-Transport-Security, and marks the session cookie Secure. The certificate is made at
// test time with OpenSSL's C API (a self-signed P-256 certificate for 127.0.0.1), so nothing is
// committed and no `openssl` command is needed.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>

#include "child_process.hpp"
#include "model/store/database.hpp"
#include "server/accounts/account_setup.hpp"
#include "server/http/app.hpp"
#include "support.hpp"

namespace {
using probity::testing::ChildProcess;
using probity::testing::TempDir;

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

void write_pem(const std::string& path, const std::function<int(FILE*)>& write) {
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  const int ok = write(f);
  std::fclose(f);
  REQUIRE(ok == 1);
}

/// Writes a self-signed certificate for 127.0.0.1 / localhost and its key.
void make_certificate(const std::string& cert_path, const std::string& key_path) {
  Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
  REQUIRE(key);
  Owned<X509, X509_free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> san(
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"));
  REQUIRE(san);
  X509_add_ext(cert.get(), san.get(), -1);
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
  write_pem(cert_path, [&](FILE* f) { return PEM_write_X509(f, cert.get()); });
  write_pem(key_path, [&](FILE* f) { return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
}

/// Whether a TLS handshake at exactly `version` succeeds. The client's security level is 0 so
/// that OpenSSL 3 itself does not refuse to offer TLS 1.1: the refusal must be the server's.
bool handshake_at(int port, int version) {
  Owned<SSL_CTX, SSL_CTX_free> ctx(SSL_CTX_new(TLS_client_method()));
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return false;
  }
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  Owned<SSL, SSL_free> ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  const bool ok = SSL_connect(ssl.get()) == 1 && SSL_version(ssl.get()) == version;
  if (ok) SSL_shutdown(ssl.get());
  ::close(fd);
  return ok;
}
}  // namespace

TEST_CASE("serve --tls-cert/--tls-key: HTTPS only at TLS 1.2 or later, HSTS, Secure session cookie", "[tls]") {
  TempDir dir;
  const std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
  make_certificate(cert, key);
  {
    // An account to sign in with, so the session cookie itself is seen.
    auto db = probity::open_database(dir.file("tls.db"), true);
    probity::apply_migrations(*db);
    probity::create_account_with_password(*db, probity::AccountConfig{}, "tls@example.nhs.uk", std::nullopt,
                                          probity::UserRole::governance, "correct horse battery", "test");
  }
  ChildProcess server({"--database", dir.file("tls.db"), "serve", "--port", "0", "--tls-cert", cert, "--tls-key", key}, true, true);
  const int port = server.read_serving_port();
  REQUIRE(port != 0);

  // The certificate is checked, with itself as the only trusted authority.
  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path(cert.c_str());
  client.enable_server_certificate_verification(true);
  client.set_read_timeout(10);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK_THAT(health->get_header_value("Strict-Transport-Security"), Catch::StartsWith("max-age="));

  // The sign-in page sets the signed-out CSRF cookie, and signing in the session cookie: both Secure.
  auto sign_in = client.Get("/sign-in");
  REQUIRE(sign_in);
  CHECK(sign_in->status == 200);
  const auto csrf_cookie = sign_in->get_header_value("Set-Cookie");
  CHECK_THAT(csrf_cookie, Catch::StartsWith("probity_csrf=") && Catch::Contains("; Secure") && Catch::Contains("HttpOnly"));
  CHECK_THAT(sign_in->get_header_value("Strict-Transport-Security"), Catch::StartsWith("max-age="));
  const auto token_at = sign_in->body.find("name=\"csrf_token\" value=\"");
  REQUIRE(token_at != std::string::npos);
  const auto token_start = token_at + std::string_view("name=\"csrf_token\" value=\"").size();
  const std::string token = sign_in->body.substr(token_start, sign_in->body.find('"', token_start) - token_start);
  auto signed_in = client.Post("/sign-in", {{"Cookie", csrf_cookie.substr(0, csrf_cookie.find(';'))}},
                               "csrf_token=" + token + "&email=tls%40example.nhs.uk&password=correct+horse+battery",
                               "application/x-www-form-urlencoded");
  REQUIRE(signed_in);
  CHECK(signed_in->status == 303);
  CHECK_THAT(signed_in->get_header_value("Set-Cookie"),
             Catch::StartsWith("probity_session=") && Catch::Contains("; Secure") && Catch::Contains("HttpOnly"));

  // TLS 1.2 and 1.3 are accepted; 1.1 and 1.0 are refused by the server.
  CHECK(handshake_at(port, TLS1_2_VERSION));
  CHECK(handshake_at(port, TLS1_3_VERSION));
  CHECK_FALSE(handshake_at(port, TLS1_1_VERSION));
  CHECK_FALSE(handshake_at(port, TLS1_VERSION));

  // Plain HTTP on the TLS port gets no page.
  httplib::Client plain("127.0.0.1", port);
  plain.set_read_timeout(5);
  auto refused = plain.Get("/healthz");
  CHECK((!refused || refused->status != 200));

  server.signal(SIGTERM);
  CHECK(server.wait() == 0);
}

// OpenSSL 3 at its default security level refuses TLS 1.1 by itself (its SHA-1 signatures), so the
// handshakes above would pass even without our setting; this checks the setting itself, which is
// what holds if a deployment lowers the security level or another OpenSSL build is used.
TEST_CASE("the TLS server's context has TLS 1.2 as its minimum version", "[tls]") {
  TempDir dir;
  const std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
  make_certificate(cert, key);
  probity::testing::TestDb db;
  probity::Config config;
  config.database = db.path;
  config.tls_cert = cert;
  config.tls_key = key;
  probity::App app(config);
  auto* tls = dynamic_cast<httplib::SSLServer*>(&app.server());
  REQUIRE(tls);
  CHECK(SSL_CTX_get_min_proto_version(tls->ssl_context()) == TLS1_2_VERSION);
}
