#pragma once
// View data for the public pages. Each page's data is the API's JSON document, unchanged, plus
// words and links for people (labels, long dates, sort and page links): the page and the API
// cannot drift apart because the page is built from the API's own document.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/public/public_register.hpp"

namespace probity {

/// Adds, throughout a public JSON document, the words the pages show beside the stable values:
/// `<date key>_long` ("2 March 2025"), `category_label`, `role_label`, `kind_label`,
/// `outcome_label`, `direct_or_indirect`, `positions_text`, `identifier` kept as is. Never
/// removes or changes a key. Throws nothing.
void add_labels(nlohmann::json& doc);

/// `path?k=v&...` with the values percent-encoded; empty values are left out. Throws nothing.
std::string link_with(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params);

/// The register page's data: the page document plus the filter form, sort links, pagination,
/// the results count and download links carrying the same filters.
/// With several bodies (`bodies`: public_bodies), a Body select and each entry's body too.
nlohmann::json register_view(const RegisterPage& page, const RegisterFilter& filter,
                             const std::vector<PublicCommitteeSummary>& committees,
                             const std::vector<PublicBodySummary>& bodies = {});

/// The gifts page's data: the page's document plus the filter form, pagination and download links.
nlohmann::json gifts_view(const GiftsPage& page, const PublicGiftFilter& filter,
                          const std::vector<PublicCommitteeSummary>& committees,
                          const std::vector<PublicBodySummary>& bodies = {});

/// A committee page's data (/committees/{id}): the committee's document plus its members' words,
/// one page of its combined register with the register's pagination (page links keep the page
/// size), the results count when there are several pages, and links to search and download it.
nlohmann::json committee_view(const PublicCommittee& committee, bool several_bodies);

/// The bodies page's data (/bodies): each body with its kind in words and a link to its
/// register here, or to where it publishes its own.
nlohmann::json bodies_view(const std::vector<PublicBodySummary>& bodies);

/// The column headings of a register table without sort links (committee and person pages).
nlohmann::json plain_register_columns();

/// The query parameters that reproduce a register filter (without paging when `with_paging`
/// is false), in a stable order.
std::vector<std::pair<std::string, std::string>> register_params(const RegisterFilter& filter, bool with_paging);
/// The query parameters that reproduce a gifts filter (with its page when `with_paging`).
std::vector<std::pair<std::string, std::string>> gift_params(const PublicGiftFilter& filter, bool with_paging = false);

}  // namespace probity
