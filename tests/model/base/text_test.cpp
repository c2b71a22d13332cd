// The shared text helpers (model/base/text.hpp) that several areas call.
#include <catch2/catch.hpp>

#include "model/base/text.hpp"

using namespace probity;

TEST_CASE("base64 and base64url follow RFC 4648's test vectors") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [in, out] : vectors) {
    CHECK(base64_encode(in) == out);
    std::string url = out;
    while (!url.empty() && url.back() == '=') url.pop_back();
    CHECK(base64_encode(in, true) == url);
  }
  CHECK(base64_encode("\xfb\xff\xbf") == "+/+/");
  CHECK(base64_encode("\xfb\xff\xbf", true) == "-_-_");
}

TEST_CASE("blank, lower case, trimming and joining") {
  CHECK(is_blank(""));
  CHECK(is_blank(" \t\r\n"));
  CHECK_FALSE(is_blank(" x "));
  CHECK(ascii_lower("Mo.Nash@NHS.net") == "mo.nash@nhs.net");
  CHECK(ascii_lower("\xc3\x89") == "\xc3\x89");  // only ASCII letters change
  CHECK(trim_blanks(" \tgzip, br \t") == "gzip, br");
  CHECK(trim(" \r\nname\n") == "name");
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(join({}, ", ").empty());
}
