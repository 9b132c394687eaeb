#pragma once

// Virtual cards for in-process tests, with keys cached in the build tree (ZAITAKU_TEST_PKI_DIR)
// so RSA keys are generated once per build, not once per test.

#include "base/Clock.h"
#include "hardware/vcard/VirtualCard.h"
#include "hardware/vcard/VirtualCardChannel.h"

#include <memory>

#include <gtest/gtest.h>

namespace zaitaku::test
{

// `issuedAt`: the certificates' dates (zaitaku-vcard --issued-at makes the same card).
inline std::unique_ptr<hardware::VirtualCard> makeVirtualCard(const hardware::Persona& persona,
                                                              base::Timestamp issuedAt)
{
    auto pki = hardware::TestPki::open(ZAITAKU_TEST_PKI_DIR, issuedAt);
    EXPECT_TRUE(pki.has_value());
    auto image = hardware::buildCardImage(persona, *pki, issuedAt);
    EXPECT_TRUE(image.has_value()) << (image ? "" : image.error().message);
    return std::make_unique<hardware::VirtualCard>(std::move(*image));
}

inline std::unique_ptr<hardware::VirtualCard> makeVirtualCard(const hardware::Persona& persona)
{
    return makeVirtualCard(persona, base::SystemClock().nowJst());
}

inline std::unique_ptr<hardware::VirtualCard> makeVirtualCard(const std::string& personaName)
{
    return makeVirtualCard(hardware::builtinPersona(personaName).value());
}

} // namespace zaitaku::test
