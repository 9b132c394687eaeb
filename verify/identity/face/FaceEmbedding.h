#pragma once

// A face descriptor: 128 floats, L2-normalised, compared by cosine (docs/design/FACE.md §1d). Wiped when it
// dies: an embedding identifies a person as much as the picture it came from.

#include <array>

namespace zaitaku::identity::face
{

class FaceEmbedding
{
public:
    static constexpr int kSize = 128;

    FaceEmbedding() = default;
    ~FaceEmbedding();
    FaceEmbedding(const FaceEmbedding&) = default;
    FaceEmbedding& operator=(const FaceEmbedding&) = default;

    std::array<float, kSize>& values() { return m_values; }
    const std::array<float, kSize>& values() const { return m_values; }

    // Scales to unit length; false when the vector is all zeros (nothing to compare).
    bool normalise();

private:
    std::array<float, kSize> m_values{};
};

// Cosine similarity of two normalised embeddings, in [-1, 1].
double cosineSimilarity(const FaceEmbedding& a, const FaceEmbedding& b);

} // namespace zaitaku::identity::face
