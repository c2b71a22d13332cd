#pragma once
// The stores a bundle is read from and written to: one for each kind of record it carries.
#include <SQLiteCpp/SQLiteCpp.h>

#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/register/year_store.hpp"

namespace probity {

struct BundleStores {
  explicit BundleStores(SQLite::Database& db)
      : organisations(db), people(db), committees(db), memberships(db), interests(db), gifts(db), nil_returns(db), confirmations(db),
        meetings(db), attendances(db), agenda_items(db) {}

  OrganisationStore organisations;
  PersonStore people;
  CommitteeStore committees;
  MembershipStore memberships;
  InterestStore interests;
  GiftStore gifts;
  NilReturnStore nil_returns;
  ConfirmationStore confirmations;
  MeetingStore meetings;
  AttendanceStore attendances;
  AgendaItemStore agenda_items;
};

}  // namespace probity
