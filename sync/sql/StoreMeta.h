#pragma once

// Small named values kept beside the data they describe (store_meta: key → text), on the tablet
// and in the gateway's database alike. Writes happen inside the caller's transaction.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <optional>
#include <string>

namespace zaitaku::sync::sql
{

class StoreMeta
{
public:
    static Expected<std::optional<std::string>, Error> get(Database& db, const std::string& key);
    static Expected<void, Error> set(Database& db, const std::string& key, const std::string& value);
};

} // namespace zaitaku::sync::sql
