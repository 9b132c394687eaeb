#include "sync/SyncError.h"

namespace zaitaku::sync
{

std::string_view describe(Errc code)
{
    switch (code) {
    case Errc::StoreCorrupted:
        return "the store failed its integrity check and was quarantined";
    case Errc::StoreNotEncrypted:
        return "the store is not encrypted (SQLCipher missing or interposed): refusing to write";
    case Errc::WrongKey:
        return "the store key is wrong";
    case Errc::DiskFull:
        return "the disk is full";
    case Errc::StoreBusy:
        return "the store is locked by another process";
    case Errc::StoreNotFound:
        return "there is no store at this path (run `zaitaku-cli store init`)";
    case Errc::StoreExists:
        return "a store already exists at this path";
    case Errc::StoreReadOnly:
        return "the store is on read-only media";
    case Errc::StoreIo:
        return "reading or writing the store failed";
    case Errc::StoreSchemaTooNew:
        return "the store was written by a newer zaitaku";
    case Errc::StoreConstraint:
        return "the record breaks a rule of the store";
    case Errc::InvalidInput:
        return "the input is malformed";
    case Errc::SignatureInvalid:
        return "the signature does not verify";
    case Errc::NetworkUnreachable:
        return "the gateway is not reachable";
    case Errc::Timeout:
        return "the gateway did not answer in time";
    case Errc::TlsFailure:
        return "the TLS handshake failed";
    case Errc::Unauthorized:
        return "the device is not enrolled or its certificate was rejected";
    case Errc::Rejected:
        return "the gateway rejected the record";
    case Errc::Conflict:
        return "the idempotency key was reused with a different payload";
    case Errc::ProtocolViolation:
        return "the message does not follow the protocol";
    case Errc::ClockSkew:
        return "the device clock differs too much from the gateway's";
    case Errc::GatewayUnavailable:
        return "the gateway is busy or unavailable; the records stay queued";
    case Errc::NotEnrolled:
        return "the tablet is not enrolled with a gateway";
    case Errc::XmlMalformed:
        return "the OQS file is not well-formed XML or breaks the codec's limits";
    case Errc::XmlEncoding:
        return "the OQS file's bytes are not in the encoding it declares";
    case Errc::OqsFailed:
        return "the eligibility system answered with an error";
    }
    return "unknown sync error";
}

Error fromBase(const base::Error& error)
{
    Errc code = Errc::InvalidInput;
    switch (error.code) {
    case base::Errc::FileIo:
        code = Errc::StoreIo;
        break;
    case base::Errc::DiskFull:
        code = Errc::DiskFull;
        break;
    case base::Errc::ReadOnly:
        code = Errc::StoreReadOnly;
        break;
    case base::Errc::FileNotFound:
        code = Errc::StoreNotFound;
        break;
    case base::Errc::FileRefused:
    case base::Errc::InvalidFormat:
    case base::Errc::ImpossibleDate:
    case base::Errc::OutOfRange:
    case base::Errc::UnknownCode:
        code = Errc::InvalidInput;
        break;
    }
    return Error{code, error.message, error.field};
}

} // namespace zaitaku::sync
