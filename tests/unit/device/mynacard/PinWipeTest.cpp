// Issue 21, item 8: a PIN on its way to the card (MynaCard → MyNumberFirewall → exchange → the
// reader channel) leaves no copy on the heap. This program replaces operator new/delete (its own
// binary, so nothing else is affected): while armed, every block freed is searched for the PIN's
// digits before it goes back to malloc.

#include "device/mynacard/MynaCard.h"
#include "device/mynacard/SecretDigits.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <new>

#include <gtest/gtest.h>

namespace
{

std::atomic<bool> g_armed{false};
std::atomic<int> g_copiesFreed{0};
constexpr char kPin[] = "9173";

void scanAndFree(void* p) noexcept
{
    if (p != nullptr && g_armed.load()) {
        const std::size_t size = malloc_usable_size(p);
        if (size >= 4 && ::memmem(p, size, kPin, 4) != nullptr) {
            ++g_copiesFreed;
        }
    }
    std::free(p);
}

} // namespace

void* operator new(std::size_t size)
{
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t size)
{
    return operator new(size);
}
void operator delete(void* p) noexcept
{
    scanAndFree(p);
}
void operator delete[](void* p) noexcept
{
    scanAndFree(p);
}
void operator delete(void* p, std::size_t) noexcept
{
    scanAndFree(p);
}
void operator delete[](void* p, std::size_t) noexcept
{
    scanAndFree(p);
}

namespace zaitaku::device
{
namespace
{

// The reader end: answers like a card (3 tries left, then the PIN accepted) and keeps nothing.
class QuietCard final : public CardChannel
{
public:
    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds) override
    {
        const bool verifyStatus = command.size() == 4 && command[1] == 0x20;
        return verifyStatus ? base::Bytes{0x63, 0xC3} : base::Bytes{0x90, 0x00};
    }
    base::Bytes atr() const override { return {}; }
    Expected<void, Error> disconnect(Disposition) override { return {}; }
};

TEST(PinWipeTest, AVerifyLeavesNoCopyOfThePinOnTheHeap)
{
    QuietCard card;
    {
        MynaCard myna(card);
        auto pin = makeAuthPin(kPin).value();
        g_armed = true;
        auto outcome = myna.verifyAuthPin(pin);
        g_armed = false;
        ASSERT_TRUE(outcome) << outcome.error().message;
        EXPECT_TRUE(outcome->verified);
    }
    EXPECT_EQ(g_copiesFreed.load(), 0) << "blocks freed with the PIN's digits still in them";
}

} // namespace
} // namespace zaitaku::device
