#pragma once

// What every zaitaku-cli command gets: its streams and the clock (injected so tests and the
// demo control time).

#include "base/Clock.h"
#include "base/Random.h"
#include "device/reader/CardReader.h"

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace zaitaku::cli
{

struct CliContext
{
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
    const base::Clock& clock;
    // Opens the card-reader backend (PC/SC in the real program).
    std::function<Expected<std::unique_ptr<device::CardReader>, device::Error>()> openReader;
    // True when `in` is an interactive terminal: secrets are then read without echo.
    bool interactive = false;
    // Keys, salts and record ids; null means the system CSPRNG (tests inject a seeded source).
    base::RandomSource* random = nullptr;
};

using Args = std::vector<std::string>;

// Exit codes shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // could not do the job (internal or environment)
inline constexpr int kExitBadInput = 2; // the request or the arguments are wrong

bool isHelpFlag(const std::string& arg);

// ctx.openReader(), or Errc::ServiceUnavailable when the context has no backend.
Expected<std::unique_ptr<device::CardReader>, device::Error> openReaderBackend(CliContext& ctx);

// ctx.random, or the system CSPRNG.
base::RandomSource& randomOf(CliContext& ctx);

} // namespace zaitaku::cli
