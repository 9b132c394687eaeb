#include "support/FaceSamples.h"
#include "verify/identity/face/CardLikePhoto.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"

#include <gtest/gtest.h>
#include <iostream>

namespace zaitaku::identity::face
{

TEST(FaceSamplesDiag, Print)
{
    auto engine = FaceEngine::load(defaultModelDir());
    ASSERT_TRUE(engine) << engine.error().message;
    auto portraits = test::usablePortraits(**engine);
    std::vector<FaceEmbedding> cards, lives;
    for (auto& p : portraits) {
        auto card = makeCardLikePhoto(p.frame, p.face, 4096);
        ASSERT_TRUE(card);
        auto ce = (*engine)->analyseCardPhoto(*card);
        std::cout << p.id << " eye " << p.face.eyeDistance() << " card " << card->size() << " " << (ce ? "ok" : ce.error().message) << "\n";
        cards.push_back(ce ? *ce : FaceEmbedding{});
        lives.push_back(*(*engine)->analyse(p.frame, {}).embedding);
    }
    for (std::size_t i = 0; i < portraits.size(); ++i) {
        std::cout << portraits[i].id;
        for (std::size_t k = 0; k < portraits.size(); ++k) {
            std::printf(" %.3f", cosineSimilarity(cards[i], lives[k]));
        }
        std::cout << "\n";
    }
}

} // namespace zaitaku::identity::face
