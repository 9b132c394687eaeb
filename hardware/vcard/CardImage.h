#pragma once

// The contents of a virtual My Number Card: applications, files, credentials and keys
// (docs/design/CARD.md §3), built from a Persona and the test PKI.

#include "hardware/vcard/Persona.h"
#include "hardware/vcard/TestPki.h"

#include <map>
#include <vector>

namespace zaitaku::hardware
{

struct CredentialSlot
{
    base::Bytes secret;
    int tries = 0;
    int maxTries = 0;
    bool alwaysRefused = false; // 照合番号A: the emulator never accepts it
};

struct KeySlot
{
    std::uint16_t credentialFid = 0;
    KeyPtr key;
};

struct ApplicationImage
{
    std::string label;
    base::Bytes aid;
    std::map<std::uint16_t, base::Bytes> files;
    std::map<std::uint16_t, std::vector<std::uint16_t>> readAcl; // any one of these credentials opens the file
    std::map<std::uint16_t, CredentialSlot> credentials;
    std::map<std::uint16_t, KeySlot> keys;
    std::vector<std::uint16_t> forbiddenFids; // touching these is counted as a forbidden access
};

struct CardImage
{
    base::Bytes atr;
    std::vector<ApplicationImage> applications;
    base::Bytes authCertificateDer;
    base::Bytes caCertificateDer;
};

Expected<CardImage, Error> buildCardImage(const Persona& persona, TestPki& pki, base::Timestamp now);

// The greyscale JPEG 2000 face photo (JP2 container) and small PNG placeholders, via OpenCV.
Expected<base::Bytes, Error> encodeFacePhoto(const std::string& imagePath);
base::Bytes placeholderPng(int width, int height);

} // namespace zaitaku::hardware
