#pragma once

// Randomness is injected like time: keys, salts, nonces and record ids come from a RandomSource,
// so tests can make a run reproducible. The system source is the kernel CSPRNG (getrandom).

#include <cstdint>
#include <random>
#include <span>
#include <string>

namespace zaitaku::base
{

class RandomSource
{
public:
    virtual ~RandomSource() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;
};

class SystemRandom final : public RandomSource
{
public:
    void fill(std::span<std::uint8_t> out) override;
};

// Deterministic, for tests only: never for keys that protect real data.
class SeededRandom final : public RandomSource
{
public:
    explicit SeededRandom(std::uint64_t seed)
        : m_engine(seed)
    {}
    void fill(std::span<std::uint8_t> out) override;

private:
    std::mt19937_64 m_engine;
};

// A random (version 4) UUID in its canonical lower-case text form: the id of every record the
// tablet creates, and the idempotency key it is synced under.
std::string makeUuid(RandomSource& random);

} // namespace zaitaku::base
