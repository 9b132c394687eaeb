// The reader registry: readers of several backends in one list with their ids, routing by name,
// id and index, and a backend that cannot be opened (no pcscd, no USB access) hiding nothing.

#include "hardware/readers/ReaderRegistry.h"

#include "support/VirtualCardReader.h"
#include "support/VirtualCards.h"

#include <gtest/gtest.h>

namespace zaitaku::hardware
{
namespace
{

using device::Errc;

ReaderRegistry::Backend working(const std::string& prefix, hardware::VirtualCard* card)
{
    return {prefix, std::make_unique<testing::VirtualCardReader>(card), std::nullopt};
}

ReaderRegistry::Backend unavailable(const std::string& prefix, const std::string& why)
{
    return {prefix, nullptr, device::Error{Errc::ServiceUnavailable, why}};
}

TEST(ReaderRegistryTest, ListsEveryBackendWithIdsAndRoutesByNameIdOrIndex)
{
    auto second = test::makeVirtualCard("one-try-left");
    std::vector<ReaderRegistry::Backend> backends;
    backends.push_back(working("pcsc", nullptr));
    backends.push_back(unavailable("usb", "no USB access"));
    backends.push_back(working("rcs380", second.get()));
    ReaderRegistry registry(std::move(backends));
    auto readers = registry.listReaders();
    ASSERT_TRUE(readers) << readers.error().message;
    ASSERT_EQ(readers->size(), 2U);
    EXPECT_EQ((*readers)[0].id, "pcsc:0");
    EXPECT_FALSE((*readers)[0].cardPresent);
    EXPECT_EQ((*readers)[1].id, "rcs380:0");
    EXPECT_TRUE((*readers)[1].cardPresent);
    // The first reader with a card, by id, by index in the combined list.
    for (const std::string selector : {"", "rcs380:0", "1"}) {
        auto card = device::connectSelected(registry, selector, device::ShareMode::Shared);
        ASSERT_TRUE(card) << selector << ": " << card.error().message;
        EXPECT_EQ(card->reader.id, "rcs380:0");
        EXPECT_EQ(card->channel->atr(), second->atr());
    }
    EXPECT_EQ(device::connectSelected(registry, "pcsc:0", device::ShareMode::Shared).error().code, Errc::NoCard);
    EXPECT_EQ(device::connectSelected(registry, "usb:0", device::ShareMode::Shared).error().code, Errc::NoReader);
    EXPECT_EQ(registry.connect("nowhere", device::ShareMode::Shared).error().code, Errc::NoReader);
    EXPECT_EQ(registry.waitForChange("rcs380:0", false, std::chrono::milliseconds(10))->cardPresent, true);
}

TEST(ReaderRegistryTest, WithNoBackendAtAllTheFirstBackendsErrorIsReported)
{
    std::vector<ReaderRegistry::Backend> backends;
    backends.push_back(unavailable("pcsc", "pcscd is not running"));
    backends.push_back(unavailable("rcs380", "libusb cannot start"));
    ReaderRegistry registry(std::move(backends));
    auto readers = registry.listReaders();
    ASSERT_FALSE(readers);
    EXPECT_EQ(readers.error().code, Errc::ServiceUnavailable);
    EXPECT_EQ(readers.error().message, "pcscd is not running");
}

} // namespace
} // namespace zaitaku::hardware
