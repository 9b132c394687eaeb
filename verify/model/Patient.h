#pragma once

// A patient as the facility knows them. Deliberately no 個人番号 field: it is never read,
// asked for or stored (DESIGN.md §3.1).

#include <string>

namespace zaitaku::model
{

struct Patient
{
    std::string id;              // our UUID
    std::string localMrn;        // the facility's own patient number
    std::string displayName;     // as the facility writes it
    std::string acceptedOqsName; // staff-confirmed OQS name when it contains ● (R5 b)
    std::string referenceNumber; // 照会番号 registered with OQS (≤ 50 chars) [U:2]
};

} // namespace zaitaku::model
