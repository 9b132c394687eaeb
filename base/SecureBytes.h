#pragma once

// Key material: a fixed-size buffer that is locked in RAM where the OS allows it (no swap-out)
// and wiped on destruction. Move-only; never printed.

#include <cstddef>
#include <cstdint>
#include <span>

namespace zaitaku::base
{

class SecureBytes
{
public:
    explicit SecureBytes(std::size_t size);
    SecureBytes(SecureBytes&& other) noexcept;
    SecureBytes& operator=(SecureBytes&& other) noexcept;
    SecureBytes(const SecureBytes&) = delete;
    SecureBytes& operator=(const SecureBytes&) = delete;
    ~SecureBytes();

    std::uint8_t* data() { return m_data; }
    const std::uint8_t* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    std::span<std::uint8_t> span() { return {m_data, m_size}; }
    std::span<const std::uint8_t> span() const { return {m_data, m_size}; }

private:
    void release();
    std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace zaitaku::base
