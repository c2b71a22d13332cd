#pragma once
// People's names as lists sort and search them: case folding, titles ("Dr", "Cllr"), and the
// surname-first key. In model/base because the database (model/store/database.cpp) gives the
// key to SQL as probity_name_key(), so the public register's read model sorts as this code does.
#include <string>
#include <string_view>

namespace probity {

/// Case folding for search and sort: ASCII and the Latin-1 letters (so "SIÂN" finds "Siân");
/// other UTF-8 passes through unchanged. Throws nothing.
std::string fold_case(std::string_view text);

/// True for a title or honorific written before a name ("Dr", "Cllr", "Mrs", "Prof", "Sir", ...),
/// given folded (lower case), with or without a full stop. Throws nothing.
bool is_name_title(std::string_view folded_word);
/// The key a list of people sorts by: surname, then forenames, folded, titles left out ("Dr Amir
/// Hassan" -> "hassan\x1famir"; "Cllr Janet Price" before "Dr Robert Sinclair"). The surname is
/// the last word, leaving out "Jr", "Snr" and the like and the quotes or brackets around a word.
/// Throws nothing.
std::string name_sort_key(std::string_view name);
/// True when a search `folded_needle` (already folded) finds a person's name with or without
/// titles: the whole needle within the name, or every word of it that is not a title within the
/// name ("Dr Hassan" and "Amir Hassan" find "Dr Amir Hassan"; "Dr Amir Hassan" finds "Amir
/// Hassan"). Throws nothing.
bool name_matches(std::string_view name, std::string_view folded_needle);

}  // namespace probity
