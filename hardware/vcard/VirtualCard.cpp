#include "hardware/vcard/VirtualCard.h"

#include "device/apdu/CommandApdu.h"
#include "device/apdu/ResponseApdu.h"
#include "device/mynacard/Certificate.h"

#include <algorithm>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace zaitaku::hardware
{

namespace sw = device::sw;

struct VirtualCard::Reply
{
    base::Bytes data;
    std::uint16_t sw;
};

namespace
{

using Reply = VirtualCard::Reply;

Reply status(std::uint16_t s)
{
    return Reply{{}, s};
}

bool startsWith(base::ByteView whole, base::ByteView prefix)
{
    return !prefix.empty() && prefix.size() <= whole.size() && std::equal(prefix.begin(), prefix.end(), whole.begin());
}

std::uint16_t fidOf(base::ByteView data)
{
    return static_cast<std::uint16_t>(data[0] << 8 | data[1]);
}

} // namespace

VirtualCard::VirtualCard(CardImage image)
    : m_image(std::move(image))
{}

void VirtualCard::reset()
{
    m_app.reset();
    m_ef.reset();
    m_verified.clear();
}

ApplicationImage* VirtualCard::current()
{
    return m_app ? &m_image.applications[*m_app] : nullptr;
}

void VirtualCard::noteForbidden(const ApplicationImage& app, std::uint16_t fid)
{
    if (std::find(app.forbiddenFids.begin(), app.forbiddenFids.end(), fid) != app.forbiddenFids.end()) {
        ++m_forbidden;
    }
}

bool VirtualCard::unlocked(const ApplicationImage& app, std::uint16_t fid) const
{
    auto acl = app.readAcl.find(fid);
    if (acl == app.readAcl.end()) {
        return true;
    }
    for (std::uint16_t cred : acl->second) {
        auto v = m_verified.find({*m_app, cred});
        if (v != m_verified.end() && v->second) {
            return true;
        }
    }
    return false;
}

base::Bytes VirtualCard::process(base::ByteView command)
{
    auto parsed = device::CommandApdu::decode(command);
    Reply reply = status(sw::kWrongLength);
    if (parsed) {
        const device::CommandApdu& c = *parsed;
        if ((c.cla & 0x03) != 0) {
            reply = status(sw::kLogicalChannelNotSupported);
        } else if (c.cla != 0x00 && c.cla != 0x80) {
            reply = status(sw::kClaNotSupported);
        } else if (c.cla == 0x00 && c.ins == 0xA4) {
            reply = select(c.p1, c.data);
        } else if (c.cla == 0x00 && c.ins == 0xB0) {
            reply = readBinary(c.p1, c.p2, c.le.value_or(256));
        } else if (c.cla == 0x00 && c.ins == 0x20) {
            reply = verify(c.p2, c.data);
        } else if (c.cla == 0x80 && c.ins == 0x2A) {
            reply = sign(c.p1, c.p2, c.data);
        } else if (c.cla == 0x00 && c.ins == 0x84) {
            if (c.extended || !c.le) {
                reply = status(sw::kConditionsNotSatisfied);
            } else {
                reply.data.resize(*c.le);
                RAND_bytes(reply.data.data(), static_cast<int>(reply.data.size()));
                reply.sw = sw::kOk;
            }
        } else {
            reply = status(sw::kInsNotSupported);
        }
    }
    device::ResponseApdu r{std::move(reply.data), reply.sw};
    return r.encode();
}

VirtualCard::Reply VirtualCard::select(std::uint8_t p1, base::ByteView data)
{
    if (p1 == 0x04) {
        // Exact match first; a real card also matches a DF-name prefix.
        std::optional<std::size_t> found;
        for (std::size_t i = 0; i < m_image.applications.size(); ++i) {
            if (m_image.applications[i].aid == base::Bytes(data.begin(), data.end())) {
                found = i;
            }
        }
        for (std::size_t i = 0; !found && i < m_image.applications.size(); ++i) {
            if (startsWith(m_image.applications[i].aid, data)) {
                found = i;
            }
        }
        if (!found) {
            return status(sw::kFileNotFound);
        }
        m_app = found;
        m_ef.reset();
        m_verified.clear();
        if (m_image.applications[*found].label == "text") {
            ++m_forbidden; // the appliance never enters the 個人番号 application
        }
        return status(sw::kOk);
    }
    if (p1 != 0x02) {
        return status(sw::kIncorrectP1P2);
    }
    ApplicationImage* app = current();
    if (!app || data.size() != 2) {
        return status(app ? sw::kWrongLength : sw::kFileNotFound);
    }
    const std::uint16_t fid = fidOf(data);
    noteForbidden(*app, fid);
    if (!app->files.count(fid) && !app->credentials.count(fid) && !app->keys.count(fid)) {
        return status(sw::kFileNotFound);
    }
    m_ef = fid;
    return status(sw::kOk);
}

VirtualCard::Reply VirtualCard::readBinary(std::uint8_t p1, std::uint8_t p2, std::uint32_t le)
{
    ApplicationImage* app = current();
    std::uint16_t fid = 0;
    std::size_t offset = 0;
    if ((p1 & 0x80) != 0) {
        fid = p1 & 0x1F;
        offset = p2;
        if (app) {
            noteForbidden(*app, fid);
        }
    } else {
        if (!m_ef) {
            return status(sw::kNoCurrentEf);
        }
        fid = *m_ef;
        offset = static_cast<std::size_t>(p1 & 0x7F) << 8 | p2;
    }
    if (!app || !app->files.count(fid)) {
        return status(app ? sw::kNoCurrentEf : sw::kFileNotFound);
    }
    if (!unlocked(*app, fid)) {
        return status(sw::kSecurityNotSatisfied);
    }
    const base::Bytes& file = app->files.at(fid);
    if (offset >= file.size()) {
        return status(sw::kOffsetBeyondEf);
    }
    const std::size_t n = std::min<std::size_t>(le, file.size() - offset);
    return Reply{base::Bytes(file.begin() + static_cast<std::ptrdiff_t>(offset),
                             file.begin() + static_cast<std::ptrdiff_t>(offset + n)),
                 sw::kOk};
}

VirtualCard::Reply VirtualCard::verify(std::uint8_t p2, base::ByteView data)
{
    ApplicationImage* app = current();
    if (!app) {
        return status(sw::kFileNotFound);
    }
    std::optional<std::uint16_t> fid;
    if (p2 == 0x80) {
        fid = m_ef;
    } else if ((p2 & 0x80) != 0) {
        fid = p2 & 0x1F;
    }
    if (!fid || !app->credentials.count(*fid)) {
        return status(0x6A88); // referenced data not found
    }
    noteForbidden(*app, *fid);
    CredentialSlot& slot = app->credentials.at(*fid);
    if (data.empty()) {
        return status(static_cast<std::uint16_t>(0x63C0 | slot.tries));
    }
    if (slot.tries == 0) {
        return status(sw::kReferenceBlocked);
    }
    const bool match = !slot.alwaysRefused && slot.secret == base::Bytes(data.begin(), data.end());
    if (match) {
        slot.tries = slot.maxTries;
        m_verified[{*m_app, *fid}] = true;
        return status(sw::kOk);
    }
    --slot.tries;
    m_verified[{*m_app, *fid}] = false;
    return status(static_cast<std::uint16_t>(0x63C0 | slot.tries));
}

VirtualCard::Reply VirtualCard::sign(std::uint8_t p1, std::uint8_t p2, base::ByteView data)
{
    ApplicationImage* app = current();
    std::optional<std::uint16_t> fid;
    if (p2 == 0x80) {
        fid = m_ef;
    } else if ((p2 & 0x80) != 0) {
        fid = p2 & 0x1F;
    }
    if (!app || !fid || !app->keys.count(*fid)) {
        return status(sw::kConditionsNotSatisfied);
    }
    const KeySlot& key = app->keys.at(*fid);
    auto v = m_verified.find({*m_app, key.credentialFid});
    if (v == m_verified.end() || !v->second) {
        return status(sw::kSecurityNotSatisfied);
    }
    base::Bytes input;
    if (p1 == 0x00) {
        if (data.empty() || data.size() > 245) {
            return status(sw::kWrongLength);
        }
        input.assign(data.begin(), data.end());
    } else if (p1 == 0x02) {
        if (data.size() != 32) {
            return status(sw::kWrongLength);
        }
        input = device::sha256DigestInfo({}); // prefix, then replace the hash
        std::copy(data.begin(), data.end(), input.end() - 32);
    } else if (p1 == 0x03) {
        input = device::sha256DigestInfo(data);
    } else {
        return status(sw::kIncorrectP1P2);
    }
    auto signature = rsaPkcs1Sign(key.key, input);
    if (!signature) {
        return status(0x6F00);
    }
    return Reply{std::move(*signature), sw::kOk};
}

} // namespace zaitaku::hardware
