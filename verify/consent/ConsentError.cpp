#include "verify/consent/ConsentError.h"

// The error type is header-only; this unit keeps one object file per library concept.
namespace zaitaku::consent
{
static_assert(model::CodeTable<Errc>::entries.size() == 4);
} // namespace zaitaku::consent
