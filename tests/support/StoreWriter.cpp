// zaitaku-store-writer: commits visits into a store as fast as it can until it is killed. Used by
// the kill -9 test: after each commit it prints "committed <visit id>" (so the parent knows what
// must survive) — a line is printed only after COMMIT returned.
//
//   zaitaku-store-writer DB PASSPHRASE RUN_ID

#include "support/StoreFixture.h"

#include <cstdio>
#include <iostream>

int main(int argc, char** argv)
{
    using namespace zaitaku;
    if (argc != 4) {
        std::cerr << "usage: zaitaku-store-writer DB PASSPHRASE RUN_ID\n";
        return 2;
    }
    const base::SystemClock clock;
    auto opened = sync::store::unlockStore(argv[1], sync::store::UnlockSecret::passphrase(argv[2]), clock);
    if (!opened) {
        std::cerr << "open: " << opened.error().message << "\n";
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    const std::string run = argv[3];
    for (int i = 0;; ++i) {
        const std::string id = "v-" + run + "-" + std::to_string(i);
        auto record = zaitaku::testing::makeVisit(id, "p-001", clock.nowJst());
        model::FallbackEvidence f;
        f.id = id + "-f";
        f.visitId = id;
        f.kind = model::FallbackKind::Moushitatesho;
        f.capturedFieldsJson = "{\"note\":\"" + std::string(1500, 'x') + "\"}"; // a visit with a 申立書 transcript
        f.staffId = "nurse-7";
        f.capturedAt = clock.nowJst();
        record.fallbacks.push_back(f);
        auto done = sync::store::VisitLedger::commit(*opened, record, "nurse-7");
        if (!done) {
            std::cerr << "commit: " << done.error().message << "\n";
            return 1;
        }
        std::printf("committed %s\n", id.c_str());
        std::fflush(stdout);
    }
}
