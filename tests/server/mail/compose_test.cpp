// The composer: a kind's templates inside the common layouts, plain text unescaped and HTML
// escaped, one-line subjects, the organisation and the reason in every message, absolute links,
// and the config switch that turns a kind off.
#include <catch2/catch.hpp>

#include "server/mail/mail_compose.hpp"

using namespace probity;

namespace {
Config config_for(std::string base_url) {
  Config c;
  c.organisation_name = "NHS Northbrook & Riverside ICB";
  c.base_url = std::move(base_url);
  return c;
}

nlohmann::json invitation_data(const Config& c) {
  return {{"link", mail_link(c, "/set-password?token=abc&x=<1>")}, {"valid_for", "3 days"}, {"email", "a&b@example.nhs.uk"},
          {"governance", false}};
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("compose_mail: the text part is written as it is, the HTML part escaped") {
  const Config c = config_for("https://probity.example.nhs.uk/");
  const MailRecipient to{"gp@example.nhs.uk", "Dr Amir <Hassan> & Partner", 7};
  const auto mail = compose_mail(c, "invitation", to, invitation_data(c), "You are receiving this because an account was made for you <here> & now.");

  CHECK(mail.kind == "invitation");
  CHECK(mail.to_address == "gp@example.nhs.uk");
  CHECK(mail.to_name == "Dr Amir <Hassan> & Partner");
  CHECK(mail.person_id == Id{7});
  CHECK(mail.reason == "You are receiving this because an account was made for you <here> & now.");
  CHECK_FALSE(mail.dedupe_key);

  CHECK(mail.text_body.find("Dear Dr Amir <Hassan> & Partner,") != std::string::npos);
  CHECK(mail.text_body.find("https://probity.example.nhs.uk/set-password?token=abc&x=<1>") != std::string::npos);
  CHECK(mail.text_body.find("&amp;") == std::string::npos);
  CHECK(mail.text_body.find("&lt;") == std::string::npos);
  CHECK(mail.text_body.find("a&b@example.nhs.uk") != std::string::npos);

  CHECK(mail.html_body.find("Dear Dr Amir &lt;Hassan&gt; &amp; Partner,") != std::string::npos);
  CHECK(mail.html_body.find("href=\"https://probity.example.nhs.uk/set-password?token=abc&amp;x=&lt;1&gt;\"") != std::string::npos);
  CHECK(mail.html_body.find("<Hassan>") == std::string::npos);
  CHECK(mail.html_body.find("<html lang=\"en-GB\">") != std::string::npos);
  CHECK(mail.html_body.find("<h1") != std::string::npos);
  CHECK(mail.html_body.find("<img") == std::string::npos);
  CHECK(mail.html_body.find("<table") == std::string::npos);
  CHECK(mail.html_body.find(">Choose your password</a>") != std::string::npos);
}

TEST_CASE("compose_mail: every message names the organisation and says why it was sent, with no unsubscribe link") {
  const Config c = config_for("https://probity.example.nhs.uk");
  const std::string reason = "You are receiving this because you are a member of the Primary Care Commissioning Committee of NHS Northbrook ICB.";
  for (const char* kind : {"invitation", "password_reset"}) {
    CAPTURE(kind);
    const auto mail = compose_mail(c, kind, {"x@example.nhs.uk", "", std::nullopt}, invitation_data(c), reason);
    CHECK(mail.text_body.rfind("NHS Northbrook & Riverside ICB\n", 0) == 0);
    CHECK(mail.text_body.find("\n--\n" + reason + "\n") != std::string::npos);
    CHECK(mail.text_body.find("Dear") == std::string::npos);  // no name: no empty greeting
    CHECK(mail.html_body.find("NHS Northbrook &amp; Riverside ICB") != std::string::npos);
    CHECK(mail.html_body.find(reason) != std::string::npos);
    CHECK(mail.text_body.find("https://probity.example.nhs.uk/\n") != std::string::npos);
    CHECK(mail.subject.find("NHS Northbrook & Riverside ICB") != std::string::npos);
    for (const auto* body : {&mail.text_body, &mail.html_body}) CHECK(body->find("nsubscribe") == std::string::npos);
    CHECK(mail.html_body.find("<title>" + std::string(kind == std::string("invitation") ? "Set up" : "Reset")) != std::string::npos);
  }
}

TEST_CASE("compose_mail: a subject is one line whatever the data holds") {
  Config c = config_for("https://probity.example.nhs.uk");
  c.organisation_name = "NHS Northbrook\r\nBcc: everyone@example.com\n\tICB ";
  const auto mail = compose_mail(c, "invitation", {"x@example.nhs.uk", "X", std::nullopt}, invitation_data(c), "why");
  CHECK(mail.subject == "Set up your account on the register of interests of NHS Northbrook Bcc: everyone@example.com ICB");
  CHECK(mail.subject.find('\r') == std::string::npos);
  CHECK(mail.subject.find('\n') == std::string::npos);
}

TEST_CASE("compose_mail: links are absolute on the configured address, or on host and port without one") {
  CHECK(mail_link(config_for("https://probity.example.nhs.uk/"), "/sign-in") == "https://probity.example.nhs.uk/sign-in");
  CHECK(mail_link(config_for("https://probity.example.nhs.uk"), "/sign-in") == "https://probity.example.nhs.uk/sign-in");
  Config c = config_for("");
  c.host = "127.0.0.1";
  c.port = 8123;
  CHECK(mail_link(c, "/sign-in") == "http://127.0.0.1:8123/sign-in");
  const auto mail = compose_mail(c, "invitation", {"x@example.nhs.uk", "X", std::nullopt}, invitation_data(c), "why");
  CHECK(mail.text_body.find("http://127.0.0.1:8123/set-password?token=abc") != std::string::npos);
  CHECK(count(mail.text_body, "http://127.0.0.1:8123/") == 2);  // the link and the footer
}

TEST_CASE("compose_mail: the dedupe key is kept; an unknown kind is an error") {
  const Config c = config_for("https://probity.example.nhs.uk");
  const auto mail = compose_mail(c, "invitation", {"x@example.nhs.uk", "X", 3}, invitation_data(c), "why", "invitation:3:1");
  CHECK(mail.dedupe_key == std::optional<std::string>("invitation:3:1"));
  CHECK_THROWS_AS(compose_mail(c, "no_such_kind", {"x@example.nhs.uk", "X", 3}, invitation_data(c), "why"), std::runtime_error);
}

TEST_CASE("mail_kind_enabled: a kind is on unless the mail section switches it off") {
  Config c;
  CHECK(mail_kind_enabled(c, "reminder"));
  c.raw = nlohmann::json::parse(R"({"mail": {"kinds": {"reminder": false, "invitation": true, "returned": "no"}}})");
  CHECK_FALSE(mail_kind_enabled(c, "reminder"));
  CHECK(mail_kind_enabled(c, "invitation"));
  CHECK(mail_kind_enabled(c, "password_reset"));
  CHECK(mail_kind_enabled(c, "returned"));  // only false switches a kind off
  c.raw = nlohmann::json::parse(R"({"mail": {"smtp": {}}})");
  CHECK(mail_kind_enabled(c, "reminder"));
}

TEST_CASE("duration_words: a link's lifetime in words") {
  using namespace std::chrono;
  CHECK(duration_words(hours(1)) == "1 hour");
  CHECK(duration_words(hours(72)) == "3 days");
  CHECK(duration_words(hours(24)) == "24 hours");
  CHECK(duration_words(minutes(30)) == "30 minutes");
  CHECK(duration_words(seconds(90)) == "90 seconds");
}
