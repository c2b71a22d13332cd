#pragma once
// Two members with accounts, Dr Asha Patel and Dr Ben Okafor, on a test server: the member tests'
// shared start (each may only see and change their own declarations).
#include <catch2/catch.hpp>

#include <string>

#include "server/browser.hpp"

namespace probity::testing {

struct TwoMembers {
  TestServer s{[](Config& c) { fast_accounts(c); }};
  Id asha = add_person(s, "p-asha", "Dr Asha Patel");
  Id ben = add_person(s, "p-ben", "Dr Ben Okafor");
  TwoMembers() {
    add_account(s, "asha@example.nhs.uk", asha);
    add_account(s, "ben@example.nhs.uk", ben);
  }
  Browser signed_in(const std::string& email) {
    Browser b(s);
    REQUIRE(b.sign_in(email)->status == 303);
    return b;
  }
};

}  // namespace probity::testing
