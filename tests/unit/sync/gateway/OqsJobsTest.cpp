// The OQS job queue's bounds (security review M3, M4): a shared bulk job shows each device only
// its own patients; re-queries are one per (device, patient, service, date) and bounded.

#include "sync/gateway/OqsJobs.h"

#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

using sync::gateway::OqsJobs;

// Holds the worker threads inside their job until released, as a slow 資格確認端末 would.
class Gate
{
public:
    void wait()
    {
        std::unique_lock lock(m_mutex);
        ++m_waiting;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return m_open; });
    }
    void waitForArrival()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_waiting > 0; });
    }
    void open()
    {
        std::lock_guard lock(m_mutex);
        m_open = true;
        m_changed.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_waiting = 0;
    bool m_open = false;
};

class OqsJobsTest : public ::testing::Test
{
protected:
    base::SteadyClock clock;
    base::SeededRandom random{7};
    Gate gate;
    const base::Date day = base::Date::parse("2026-12-07").value();
};

TEST_F(OqsJobsTest, APrecheckJobShowsEachDeviceOnlyItsPatients)
{
    // A's job runs (the terminal is slow); B and C ask meanwhile and share the next job of the
    // date. The terminal answers nobody: each sees only its own patients unanswered.
    OqsJobs jobs(clock, random, [&](const std::vector<std::string>& patients, const base::Date&) {
        gate.wait();
        return patients; // none answered
    });
    const auto a = jobs.precheck("d-a", day, {"p-a"});
    gate.waitForArrival();
    const auto b = jobs.precheck("d-b", day, {"p-b"});
    const auto c = jobs.precheck("d-c", day, {"p-c1", "p-c2"});
    EXPECT_NE(a, b);
    EXPECT_EQ(b, c) << "one bulk request for the date's waiting patients";
    gate.open();
    ASSERT_TRUE(jobs.idle(std::chrono::seconds(10)));

    const auto forB = jobs.find(b, "d-b");
    ASSERT_TRUE(forB);
    EXPECT_EQ(forB->result["unanswered"], nlohmann::json::array({"p-b"})) << forB->result.dump();
    const auto forC = jobs.find(c, "d-c");
    ASSERT_TRUE(forC);
    EXPECT_EQ(forC->result["unanswered"], nlohmann::json::array({"p-c1", "p-c2"}));
    EXPECT_FALSE(jobs.find(b, "d-a")) << "A did not ask for that job";
}

TEST_F(OqsJobsTest, ReQueriesPerDeviceAreOneAPatientAndBounded)
{
    // A flood of /v1/requery would be as many real 資格確認 requests under the facility's code.
    OqsJobs jobs(clock, random,
                 [](const std::vector<std::string>&, const base::Date&) { return std::vector<std::string>{}; });
    int runs = 0;
    const auto run = [&] {
        gate.wait();
        ++runs;
        return nlohmann::json{{"allowed", true}};
    };
    const auto first = jobs.requery("d-a", "p-1", "p-1|houmon_shinryo|2026-12-07", run);
    ASSERT_TRUE(first);
    gate.waitForArrival();
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(jobs.requery("d-a", "p-1", "p-1|houmon_shinryo|2026-12-07", run), first) << "asked again: joined";
    }
    std::size_t accepted = 1;
    for (int i = 0; i < 50; ++i) {
        accepted += jobs.requery("d-a", "p-" + std::to_string(100 + i), "k" + std::to_string(i), run) ? 1 : 0;
    }
    EXPECT_EQ(accepted, OqsJobs::kMaxOpenPerDevice);
    EXPECT_TRUE(jobs.requery("d-b", "p-9", "p-9|houmon_kango|2026-12-07", run)) << "another device has its own bound";
    const auto view = jobs.find(*first, "d-a");
    ASSERT_TRUE(view);
    EXPECT_EQ(view->patients, std::vector<std::string>{"p-1"});
    gate.open();
    ASSERT_TRUE(jobs.idle(std::chrono::seconds(10)));
    EXPECT_EQ(runs, static_cast<int>(OqsJobs::kMaxOpenPerDevice) + 1);
}

} // namespace
} // namespace zaitaku::testing
