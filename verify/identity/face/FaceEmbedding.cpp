#include "verify/identity/face/FaceEmbedding.h"

#include <cmath>
#include <cstring>

namespace zaitaku::identity::face
{

FaceEmbedding::~FaceEmbedding()
{
    explicit_bzero(m_values.data(), sizeof m_values);
}

bool FaceEmbedding::normalise()
{
    double sum = 0;
    for (float v : m_values) {
        sum += static_cast<double>(v) * v;
    }
    if (!(sum > 0) || !std::isfinite(sum)) {
        return false;
    }
    const double scale = 1.0 / std::sqrt(sum);
    for (float& v : m_values) {
        v = static_cast<float>(v * scale);
    }
    return true;
}

double cosineSimilarity(const FaceEmbedding& a, const FaceEmbedding& b)
{
    double dot = 0;
    for (int i = 0; i < FaceEmbedding::kSize; ++i) {
        dot += static_cast<double>(a.values()[i]) * b.values()[i];
    }
    return dot;
}

} // namespace zaitaku::identity::face
