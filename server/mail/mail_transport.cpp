#include "server/mail/mail_transport.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace probity {
namespace {

// The .eml spool: write to a temporary name, flush it to disk, then rename, so a reader never
// sees half a message and a message marked sent is on disk.
class SpoolTransport : public MailTransport {
 public:
  explicit SpoolTransport(std::string dir) : dir_(std::move(dir)) {}

  DeliveryResult deliver(const std::string&, const std::string&, const std::string& message, long long outbox_id) override {
    const std::string name = "outbox-" + std::to_string(outbox_id) + ".eml";
    const auto final_path = std::filesystem::path(dir_) / name;
    const auto temp_path = std::filesystem::path(dir_) / ("." + name + ".tmp");
    std::error_code made;
    std::filesystem::create_directories(dir_, made);  // made on the first message, not at start-up
    if (made) return {DeliveryResult::Outcome::temporary, "cannot make " + dir_ + ": " + made.message()};
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return {DeliveryResult::Outcome::temporary, "cannot write " + temp_path.string() + ": " + std::strerror(errno)};
    std::size_t done = 0;
    while (done < message.size()) {
      const ssize_t n = ::write(fd, message.data() + done, message.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        return {DeliveryResult::Outcome::temporary, "cannot write " + temp_path.string() + ": " + why};
      }
      done += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    std::error_code ec;
    if (!synced) return {DeliveryResult::Outcome::temporary, "cannot flush " + temp_path.string()};
    std::filesystem::rename(temp_path, final_path, ec);
    if (ec) return {DeliveryResult::Outcome::temporary, "cannot rename to " + final_path.string() + ": " + ec.message()};
    if (const int dir = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
    return {};
  }

 private:
  std::string dir_;
};

struct Upload {
  const std::string* data = nullptr;
  std::size_t offset = 0;
};

extern "C" size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

extern "C" int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* stopping = static_cast<const std::atomic<bool>*>(user);
  return stopping && stopping->load() ? 1 : 0;
}

// Keeps the server's last reply line, so a refusal is recorded in its own words.
extern "C" int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto* last = static_cast<std::string*>(user);
  last->assign(data, size);
  while (!last->empty() && (last->back() == '\r' || last->back() == '\n')) last->pop_back();
  return 0;
}

// libcurl's global set-up is not thread-safe: done once, before any transfer.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl cannot start");
  });
}

// SMTP through one libcurl handle, kept between messages so the connection is reused.
class SmtpTransport : public MailTransport {
 public:
  SmtpTransport(const MailSettings& s, const std::atomic<bool>* stopping) : settings_(s), stopping_(stopping) {
    init_curl_once();
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("libcurl cannot make a handle");
  }
  ~SmtpTransport() override { curl_easy_cleanup(curl_); }
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;

  DeliveryResult deliver(const std::string& from, const std::string& to, const std::string& message, long long) override {
    Upload upload{&message, 0};
    char error[CURL_ERROR_SIZE] = {};
    std::string last_reply;
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    const std::string mail_from = "<" + from + ">";
    const bool implicit_tls = settings_.smtp_url.rfind("smtps://", 0) == 0;
    long use_ssl = CURLUSESSL_ALL;
    if (!implicit_tls && settings_.starttls == "optional") use_ssl = CURLUSESSL_TRY;
    if (!implicit_tls && settings_.starttls == "off") use_ssl = CURLUSESSL_NONE;

    curl_easy_setopt(curl_, CURLOPT_URL, settings_.smtp_url.c_str());
    curl_easy_setopt(curl_, CURLOPT_USE_SSL, use_ssl);
    if (!settings_.user.empty()) {
      curl_easy_setopt(curl_, CURLOPT_USERNAME, settings_.user.c_str());
      curl_easy_setopt(curl_, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl_, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connect_timeout_seconds));
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, stopping_);
    curl_easy_setopt(curl_, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl_, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(curl_, CURLOPT_DEBUGDATA, &last_reply);

    const CURLcode rc = curl_easy_perform(curl_);
    long code = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(curl_, CURLOPT_DEBUGDATA, nullptr);
    curl_slist_free_all(rcpt);
    return classify(rc, code, error[0] ? std::string(error) : std::string(curl_easy_strerror(rc)), last_reply);
  }

  // A refusal of this recipient or this message (5xx to RCPT or to the message) is permanent.
  // Everything else is temporary: the network, timeouts, 4xx, and 5xx to the login or to MAIL
  // FROM, which say the settings are wrong rather than the message (fix them and it goes).
  static DeliveryResult classify(CURLcode rc, long code, const std::string& error, const std::string& reply) {
    if (rc == CURLE_OK) return {};
    if (rc == CURLE_ABORTED_BY_CALLBACK) return {DeliveryResult::Outcome::stopped, "stopped before it was sent"};
    std::string text = error;
    if (code > 0 && !reply.empty() && reply.rfind(std::to_string(code), 0) == 0) text += " (the server said: " + reply + ")";
    const bool sender_side = rc == CURLE_LOGIN_DENIED || error.rfind("MAIL failed", 0) == 0 || code == 530 || code == 535;
    if (code >= 500 && code < 600 && !sender_side) return {DeliveryResult::Outcome::permanent, text};
    return {DeliveryResult::Outcome::temporary, text};
  }

 private:
  MailSettings settings_;
  const std::atomic<bool>* stopping_;
  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<MailTransport> make_mail_transport(const MailSettings& settings, const std::atomic<bool>* stopping) {
  if (settings.uses_smtp()) return std::make_unique<SmtpTransport>(settings, stopping);
  return std::make_unique<SpoolTransport>(settings.spool_dir);
}

}  // namespace probity
