#include "verify/visit/ChallengeSource.h"

namespace zaitaku::visit
{

Expected<Challenge, Error> LocalChallengeSource::take(const std::string&, const base::Timestamp&)
{
    Challenge c;
    c.id = "local-" + base::makeUuid(m_random);
    c.nonce.resize(32);
    m_random.fill(c.nonce);
    c.origin = model::ChallengeOrigin::Local;
    return c;
}

} // namespace zaitaku::visit
