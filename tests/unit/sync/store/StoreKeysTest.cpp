// The data key and its wraps: passphrase, recovery code, device key; changing the passphrase
// without re-encrypting; rotating the data key; an interrupted rotation.

#include "base/Bytes.h"
#include "support/StoreFixture.h"
#include "sync/protocol/Scrypt.h"
#include "sync/store/KeyFile.h"
#include "sync/store/RecoveryCode.h"

#include <fstream>

namespace zaitaku::testing
{
namespace
{

using sync::Errc;
using namespace sync::store;
namespace protocol = sync::protocol;

TEST(ScryptTest, DerivesTheRfc7914TestVector)
{
    // RFC 7914 §12: scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64).
    const std::string salt = "NaCl";
    auto key = protocol::deriveScrypt("password", {reinterpret_cast<const std::uint8_t*>(salt.data()), salt.size()},
                                      protocol::ScryptParams{10, 8, 16}, 64);
    ASSERT_TRUE(key);
    EXPECT_EQ(base::toHex(key->span()).substr(0, 32), "FDBABE1C9D3472007856E7190D01E9FE");
}

TEST(ScryptTest, RefusesParametersOutOfRange)
{
    auto key = protocol::deriveScrypt("x", {}, protocol::ScryptParams{30, 8, 1});
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().code, Errc::InvalidInput);
}

TEST(RecoveryCodeTest, IsThirtyTwoCrockfordCharactersInGroups)
{
    base::SeededRandom random(7);
    const std::string code = makeRecoveryCode(random);
    EXPECT_EQ(code.size(), 39u);
    EXPECT_EQ(std::count(code.begin(), code.end(), '-'), 7);
    auto canonical = normaliseRecoveryCode(code);
    ASSERT_TRUE(canonical);
    EXPECT_EQ(canonical->size(), 32u);
    // Typed back loosely: lower case, spaces, O for 0 and I/L for 1.
    std::string typed = code;
    std::replace(typed.begin(), typed.end(), '-', ' ');
    std::transform(typed.begin(), typed.end(), typed.begin(), [](unsigned char c) { return std::tolower(c); });
    EXPECT_EQ(normaliseRecoveryCode(typed).value_or(""), *canonical);
    EXPECT_EQ(normaliseRecoveryCode("OIL" + canonical->substr(3)).value_or(""), "011" + canonical->substr(3));
    EXPECT_FALSE(normaliseRecoveryCode("too short"));
    EXPECT_FALSE(normaliseRecoveryCode(std::string(32, 'U')));
}

TEST_F(StoreTest, KeyFileHoldsWrapsNotTheKey)
{
    auto keys = KeyFile::load(keyFilePathFor(path));
    ASSERT_TRUE(keys);
    EXPECT_EQ(keys->storeId, store->storeId());
    ASSERT_NE(keys->find(KeySlotKind::Passphrase), nullptr);
    ASSERT_NE(keys->find(KeySlotKind::Recovery), nullptr);
    EXPECT_EQ(keys->find(KeySlotKind::Device), nullptr);
    EXPECT_EQ(keys->find(KeySlotKind::Passphrase)->params.logN, 10u); // parameters travel with the wrap
    EXPECT_EQ(std::filesystem::status(keyFilePathFor(path)).permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none);
    EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none);
}

TEST_F(StoreTest, RecoveryCodeUnlocks)
{
    store.reset();
    auto canonical = normaliseRecoveryCode(recoveryCode);
    ASSERT_TRUE(canonical);
    EXPECT_TRUE(unlockStore(path, UnlockSecret::recoveryCode(*canonical), clock));
    auto wrong = normaliseRecoveryCode(std::string(32, '7'));
    ASSERT_TRUE(wrong);
    auto refused = unlockStore(path, UnlockSecret::recoveryCode(*wrong), clock);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::WrongKey);
}

TEST_F(StoreTest, ChangingThePassphraseRewrapsWithoutReencrypting)
{
    importPatient("p-001");
    store.reset();
    const std::string salt = readAll(path).substr(0, 16); // SQLCipher's per-file salt: page 1 header
    const KeySlot recoveryBefore = *KeyFile::load(keyFilePathFor(path))->find(KeySlotKind::Recovery);
    ASSERT_TRUE(changePassphrase(path, UnlockSecret::passphrase(kTestPassphrase), "a new long passphrase", fastScrypt(),
                                 random, clock));
    EXPECT_FALSE(unlockStore(path, UnlockSecret::passphrase(kTestPassphrase), clock));
    auto opened = unlockStore(path, UnlockSecret::passphrase("a new long passphrase"), clock);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->db().queryInt("SELECT count(*) FROM patient").value_or(0), 1);
    EXPECT_EQ(readAll(path).substr(0, 16), salt);
    EXPECT_EQ(KeyFile::load(keyFilePathFor(path))->find(KeySlotKind::Recovery)->wrapped, recoveryBefore.wrapped);
    EXPECT_EQ(opened->db().queryText("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").value_or(""),
              "store.passphrase_changed");
}

TEST_F(StoreTest, ForgottenPassphraseIsReplacedWithTheRecoveryCode)
{
    store.reset();
    auto canonical = normaliseRecoveryCode(recoveryCode);
    ASSERT_TRUE(canonical);
    ASSERT_TRUE(changePassphrase(path, UnlockSecret::recoveryCode(*canonical), "chosen after recovery", fastScrypt(),
                                 random, clock));
    EXPECT_TRUE(unlockStore(path, UnlockSecret::passphrase("chosen after recovery"), clock));
}

TEST_F(StoreTest, WrongCurrentPassphraseChangesNothing)
{
    store.reset();
    const std::string keysBefore = readAll(keyFilePathFor(path));
    auto changed = changePassphrase(path, UnlockSecret::passphrase("wrong wrong wrong"), "whatever new", fastScrypt(),
                                    random, clock);
    ASSERT_FALSE(changed);
    EXPECT_EQ(changed.error().code, Errc::WrongKey);
    EXPECT_EQ(readAll(keyFilePathFor(path)), keysBefore);
}

TEST_F(StoreTest, DeviceKeyFileUnlocksWhenAdded)
{
    store.reset();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    InitOptions options;
    options.scrypt = fastScrypt();
    options.deviceKeyPath = (dir / "device.key").string();
    ASSERT_TRUE(initStore(path, kTestPassphrase, options, random, clock));
    EXPECT_EQ(std::filesystem::file_size(dir / "device.key"), 32u);
    auto deviceKey = loadDeviceKeyFile(options.deviceKeyPath);
    ASSERT_TRUE(deviceKey);
    EXPECT_TRUE(unlockStore(path, UnlockSecret::deviceKey(*deviceKey), clock));
    std::ofstream(dir / "short.key") << "too short";
    std::filesystem::permissions(dir / "short.key",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto bad = loadDeviceKeyFile((dir / "short.key").string());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::InvalidInput);

    // Security review L2: the raw key that unwraps the data key was read at any mode.
    std::filesystem::permissions(options.deviceKeyPath,
                                 std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    auto readable = loadDeviceKeyFile(options.deviceKeyPath);
    ASSERT_FALSE(readable) << "a 0644 device key is refused";
    EXPECT_NE(readable.error().message.find("chmod"), std::string::npos) << readable.error().message;
}

TEST_F(StoreTest, RotatingTheDataKeyReencryptsAndKeepsTheData)
{
    importPatient("p-001");
    store.reset();
    const std::string before = readAll(path);
    auto rotated = rotateDataKey(path, UnlockSecret::passphrase(kTestPassphrase), "after the rotation", fastScrypt(),
                                 std::nullopt, random, clock);
    ASSERT_TRUE(rotated) << rotated.error().message;
    EXPECT_NE(rotated->recoveryCode, recoveryCode);
    EXPECT_FALSE(unlockStore(path, UnlockSecret::passphrase(kTestPassphrase), clock));
    auto opened = unlockStore(path, UnlockSecret::passphrase("after the rotation"), clock);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(opened->db().queryInt("SELECT count(*) FROM patient").value_or(0), 1);
    opened.value().db().close();
    const std::string after = readAll(path);
    EXPECT_NE(after.substr(4096, 4096), before.substr(4096, 4096)); // pages re-encrypted
    EXPECT_FALSE(std::filesystem::exists(keyFilePathFor(path) + ".pending"));
}

TEST_F(StoreTest, InterruptedRotationIsFinishedAtTheNextUnlock)
{
    // Simulate a crash after PRAGMA rekey but before the key file was replaced: the database is
    // under the new key, <keys>.pending holds its wraps, <keys> still the old ones.
    store.reset();
    const std::string keyPath = keyFilePathFor(path);
    const std::string oldKeys = readAll(keyPath);
    ASSERT_TRUE(rotateDataKey(path, UnlockSecret::passphrase(kTestPassphrase), "the new passphrase", fastScrypt(),
                              std::nullopt, random, clock));
    std::filesystem::rename(keyPath, keyPath + ".pending");
    std::ofstream(keyPath, std::ios::binary) << oldKeys;

    // The old passphrase cannot open the new database: a clear error, and no quarantine.
    auto old = unlockStore(path, UnlockSecret::passphrase(kTestPassphrase), clock);
    ASSERT_FALSE(old);
    EXPECT_TRUE(std::filesystem::exists(path));
    // The new passphrase finishes the rotation.
    auto opened = unlockStore(path, UnlockSecret::passphrase("the new passphrase"), clock);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_FALSE(std::filesystem::exists(keyPath + ".pending"));
    opened.value().db().close();
    EXPECT_TRUE(unlockStore(path, UnlockSecret::passphrase("the new passphrase"), clock));
}

} // namespace
} // namespace zaitaku::testing
