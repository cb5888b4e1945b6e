// NbdConnection against a real qemu-nbd over a unix socket: what the export
// says of itself, allocation from its block status, one-line errors, and
// requests driven through an io_uring ring as the job drives them.

#include "engine_printers.h"
#include "io/nbd_connection.h"
#include "io/ring.h"
#include "test_support.h"

#include <QProcess>
#include <QTest>

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <vector>

using namespace engine;
using namespace std::chrono_literals;
using testsupport::createSparse;
using testsupport::ScratchDir;
using testsupport::writePattern;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kSize = 32 * kMiB;
constexpr std::uint64_t kIn = 1;
constexpr std::uint64_t kOut = 2;

// qemu-nbd serving @p file on @p socket as export "disk" until destroyed.
class Server
{
public:
    Server(const QString& file, const QString& socket, bool readOnly) : m_socket(socket)
    {
        QStringList args{QStringLiteral("--format=raw"),       QStringLiteral("--persistent"),
                         QStringLiteral("--shared=0"),         QStringLiteral("--socket=") + socket,
                         QStringLiteral("--export-name=disk"), file};
        if (readOnly)
            args.prepend(QStringLiteral("--read-only"));
        m_proc.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_proc.start(QStringLiteral("qemu-nbd"), args);
        m_up = m_proc.waitForStarted(10000) &&
               testsupport::waitFor([&] { return testsupport::unixSocketAccepts(socket); }, 15s);
    }
    ~Server()
    {
        m_proc.terminate();
        if (!m_proc.waitForFinished(10000))
            m_proc.kill();
        m_proc.waitForFinished(5000);
    }
    bool up() const { return m_up; }
    std::string uri() const { return "nbd+unix:///disk?socket=" + m_socket.toStdString(); }

private:
    QProcess m_proc;
    QString m_socket;
    bool m_up = false;
};

bool haveQemuNbd()
{
    return !QStandardPaths::findExecutable(QStringLiteral("qemu-nbd")).isEmpty();
}

// One turn of a job's loop on @p c alone: polls armed, one wait, the polls'
// completions handed over, the finished requests collected.
void turn(Ring& ring, NbdConnection& c, std::vector<std::pair<std::uint64_t, int>>& done,
          std::chrono::milliseconds wait = 100ms)
{
    QVERIFY(c.armPolls(ring, kIn, kOut));
    QVERIFY(ring.submitAndWait(c.hasCompletions() ? 0ms : wait));
    ring.reap([&](std::uint64_t tag, int res) { QVERIFY(c.onPoll(tag, res)); });
    c.reap([&](std::uint64_t tag, int res) { done.emplace_back(tag, res); });
}

} // namespace

class TestNbdConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void facts_sizeReadOnlyAllocation();
    void errors_oneLineNamingTheUri();
    void silentServer_givenUpAtTheDeadline();
    void asyncRequests_throughTheRing_roundTrip();
    void staleReadiness_afterBlockingCall_doesNotStallLaterRequests();

private:
    ScratchDir m_dir;
    QString m_image;
};

void TestNbdConnection::initTestCase()
{
    if (!haveQemuNbd())
        QSKIP("qemu-nbd (package qemu-utils) is not installed: no NBD server to talk to");
    QVERIFY(m_dir.isValid());
    // Data at [0, 4M) and [20M, 24M), holes elsewhere.
    m_image = m_dir.file(QStringLiteral("disk.img"));
    QVERIFY(createSparse(m_image, kSize));
    QVERIFY(writePattern(m_image, 0, 4 * kMiB, 1));
    QVERIFY(writePattern(m_image, 20 * kMiB, 4 * kMiB, 2));
}

void TestNbdConnection::facts_sizeReadOnlyAllocation()
{
    Server server(m_image, m_dir.file(QStringLiteral("ro.sock")), true);
    QVERIFY(server.up());
    auto c = NbdConnection::connect(server.uri(), false);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QCOMPARE((*c)->size(), kSize);
    QVERIFY((*c)->readOnly());
    QVERIFY((*c)->knowsAllocation());
    auto first = (*c)->nextAllocated(0);
    QVERIFY(first && *first);
    QCOMPARE((**first).offset, 0ull);
    QCOMPARE((**first).length, 4 * kMiB);
    auto second = (*c)->nextAllocated(4 * kMiB);
    QVERIFY(second && *second);
    QCOMPARE((**second).offset, 20 * kMiB);
    QCOMPARE((**second).length, 4 * kMiB);
    auto none = (*c)->nextAllocated(24 * kMiB);
    QVERIFY(none && !*none);

    // Opened for writing, a read-only export is refused before anything.
    auto w = NbdConnection::connect(server.uri(), true);
    QVERIFY(!w);
    QCOMPARE(w.error().code, EROFS);
    QVERIFY(w.error().message.find(server.uri()) != std::string::npos);
}

void TestNbdConnection::errors_oneLineNamingTheUri()
{
    const std::string nobody =
        "nbd+unix:///disk?socket=" + m_dir.file(QStringLiteral("nobody.sock")).toStdString();
    for (const std::string& uri :
         {nobody, std::string("nbd+unix:///disk"), std::string("nbd://")}) {
        auto c = NbdConnection::connect(uri, true);
        QVERIFY2(!c, uri.c_str());
        const std::string& m = c.error().message;
        QVERIFY2(m.rfind(uri + ": ", 0) == 0, m.c_str());
        QVERIFY2(m.find('\n') == std::string::npos, m.c_str());
        QVERIFY(c.error().code != 0);
    }
    QVERIFY(isNbdUri("nbds+unix:///x?socket=/s"));
    QVERIFY(!isNbdUri("/dev/nbd0"));
    QVERIFY(!isNbdUri("nbd.img"));
}

void TestNbdConnection::silentServer_givenUpAtTheDeadline()
{
    // A socket that accepts (the kernel's backlog) and never says a word:
    // the handshake waits for the server's greeting.
    const QString path = m_dir.file(QStringLiteral("silent.sock"));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(fd >= 0);
    sockaddr_un addr{};
    QVERIFY(testsupport::unixSocketAddress(path, &addr));
    QVERIFY(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    QVERIFY(::listen(fd, 4) == 0);
    const std::string uri = "nbd+unix:///disk?socket=" + path.toStdString();
    const auto start = std::chrono::steady_clock::now();
    auto c = NbdConnection::connect(uri, true, {}, 400ms);
    const auto took = std::chrono::steady_clock::now() - start;
    ::close(fd);
    QVERIFY(!c);
    QCOMPARE(c.error().code, ETIMEDOUT);
    QVERIFY2(c.error().message.rfind(uri + ": no answer", 0) == 0, c.error().message.c_str());
    QVERIFY2(took >= 350ms && took < 5s, "not given up at its deadline");
}

void TestNbdConnection::asyncRequests_throughTheRing_roundTrip()
{
    const QString file = m_dir.file(QStringLiteral("rw.img"));
    QVERIFY(createSparse(file, kSize));
    Server server(file, m_dir.file(QStringLiteral("rw.sock")), false);
    QVERIFY(server.up());
    auto c = NbdConnection::connect(server.uri(), true);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    auto ring = Ring::create(64);
    QVERIFY(ring);

    std::vector<std::uint8_t> out(kMiB);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::uint8_t>(i * 7 + 3);
    std::vector<std::uint8_t> in(kMiB, 0);
    std::vector<std::pair<std::uint64_t, int>> done;
    (*c)->write(out.data(), kMiB, 3 * kMiB, 10);
    (*c)->zero(8 * kMiB, 4 * kMiB, true, 11);
    (*c)->flush(12);
    QVERIFY(testsupport::waitFor(
        [&] {
            turn(*ring, **c, done);
            return done.size() == 3;
        },
        10s));
    for (const auto& [tag, res] : done)
        QCOMPARE(res, tag == 10 ? static_cast<int>(kMiB) : 0);
    done.clear();
    (*c)->read(in.data(), kMiB, 3 * kMiB, 20);
    QVERIFY(testsupport::waitFor(
        [&] {
            turn(*ring, **c, done);
            return !done.empty();
        },
        10s));
    QCOMPARE(done.front().second, static_cast<int>(kMiB));
    QVERIFY(in == out);

    // The polls are the ring's until cancelled and completed.
    (*c)->cancelPolls(*ring, 99);
    QVERIFY(testsupport::waitFor(
        [&] {
            (void)ring->submitAndWait(100ms);
            ring->reap([&](std::uint64_t tag, int res) {
                if (tag != 99)
                    (*c)->onPoll(tag, res);
            });
            return !(*c)->pollsArmed();
        },
        10s));
}

void TestNbdConnection::staleReadiness_afterBlockingCall_doesNotStallLaterRequests()
{
    // The job's ring saw the socket readable, then a blocking call on the
    // same connection (an allocation query) read what was there. Handed to
    // libnbd as it was, that stale readiness left the connection waiting
    // inside a reply no server would send, and every later request queued
    // behind it: a verification hung at its first block status.
    Server server(m_image, m_dir.file(QStringLiteral("stale.sock")), true);
    QVERIFY(server.up());
    auto c = NbdConnection::connect(server.uri(), false);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    auto ring = Ring::create(64);
    QVERIFY(ring);
    std::vector<std::uint8_t> buf(kMiB);
    std::vector<std::pair<std::uint64_t, int>> done;

    // A read in flight with the ring's poll armed, the reply on its way.
    QVERIFY((*c)->armPolls(*ring, kIn, kOut));
    (*c)->read(buf.data(), kMiB, 0, 1);
    std::vector<std::pair<std::uint64_t, int>> polls;
    QVERIFY(testsupport::waitFor(
        [&] {
            (void)ring->submitAndWait(100ms);
            ring->reap([&](std::uint64_t tag, int res) { polls.emplace_back(tag, res); });
            return !polls.empty();
        },
        10s));
    // A blocking call takes the reply (and its own) before the readiness
    // is handed over.
    auto allocated = (*c)->nextAllocated(0);
    QVERIFY(allocated && *allocated);
    QVERIFY((*c)->hasCompletions());
    for (const auto& [tag, res] : polls)
        QVERIFY((*c)->onPoll(tag, res));
    (*c)->reap([&](std::uint64_t tag, int res) { done.emplace_back(tag, res); });
    QCOMPARE(done.size(), std::size_t{1});
    QCOMPARE(done.front().second, static_cast<int>(kMiB));

    // Later requests, asynchronous and blocking, still go out and return.
    done.clear();
    (*c)->read(buf.data(), kMiB, 20 * kMiB, 2);
    QVERIFY2(testsupport::waitFor(
                 [&] {
                     turn(*ring, **c, done);
                     return !done.empty();
                 },
                 10s),
             "a read issued after the stale readiness never returned");
    QCOMPARE(done.front().second, static_cast<int>(kMiB));
    std::vector<std::uint8_t> check(kMiB);
    QVERIFY((*c)->pread(check.data(), kMiB, 20 * kMiB));
    QVERIFY(check == buf);
}

QTEST_GUILESS_MAIN(TestNbdConnection)
#include "tst_nbd_connection.moc"
