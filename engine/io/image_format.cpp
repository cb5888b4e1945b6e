#include "io/image_format.h"

#include "base/child_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <vector>

namespace engine {

namespace {

struct Named
{
    ImageFormat format;
    std::string_view name;
};
constexpr std::array<Named, 5> kFormats{{{ImageFormat::Raw, "raw"},
                                         {ImageFormat::Qcow2, "qcow2"},
                                         {ImageFormat::Vmdk, "vmdk"},
                                         {ImageFormat::Vhdx, "vhdx"},
                                         {ImageFormat::Vdi, "vdi"}}};

std::uint32_t be32(const unsigned char* p)
{
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           p[3];
}

std::uint64_t be64(const unsigned char* p)
{
    return (std::uint64_t{be32(p)} << 32) | be32(p + 4);
}

Result<void> readExactly(int fd, void* buf, std::size_t length, std::uint64_t offset,
                         const std::string& what)
{
    std::size_t got = 0;
    while (got < length) {
        const ssize_t n = ::pread(fd, static_cast<char*>(buf) + got, length - got,
                                  static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError(errno, "read " + what);
        if (n == 0)
            return Error{EINVAL, what + ": the qcow2 header is cut short"};
        got += static_cast<std::size_t>(n);
    }
    return {};
}

} // namespace

std::string_view toString(ImageFormat format)
{
    for (const auto& f : kFormats)
        if (f.format == format)
            return f.name;
    return "raw";
}

std::optional<ImageFormat> parseImageFormat(std::string_view text)
{
    for (const auto& f : kFormats)
        if (f.name == text)
            return f.format;
    return std::nullopt;
}

std::optional<ImageFormat> formatOfName(std::string_view path)
{
    const auto dot = path.rfind('.');
    const auto slash = path.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return std::nullopt;
    std::string ext(path.substr(dot + 1));
    for (char& c : ext)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const auto f = parseImageFormat(ext);
    return f == ImageFormat::Raw ? std::nullopt : f; // ".raw" says nothing new
}

std::optional<ImageFormat> probeImageFormat(int fd)
{
    std::array<unsigned char, 512> head{};
    ssize_t n;
    do
        n = ::pread(fd, head.data(), head.size(), 0);
    while (n < 0 && errno == EINTR);
    if (n < 8)
        return std::nullopt;
    const auto starts = [&](std::string_view magic) {
        return std::memcmp(head.data(), magic.data(), magic.size()) == 0;
    };
    if (starts("QFI\xfb"))
        return ImageFormat::Qcow2;
    // A sparse extent, or the text descriptor of a split one.
    if (starts("KDMV") || starts("# Disk DescriptorFile"))
        return ImageFormat::Vmdk;
    if (starts("vhdxfile"))
        return ImageFormat::Vhdx;
    // VirtualBox's signature, little-endian, after a 64-byte text banner.
    if (n >= 0x44 && head[0x40] == 0x7f && head[0x41] == 0x10 && head[0x42] == 0xda &&
        head[0x43] == 0xbe)
        return ImageFormat::Vdi;
    return std::nullopt;
}

Result<void> checkImageMagic(int fd, const std::string& name, ImageFormat format)
{
    if (format == ImageFormat::Raw)
        return {};
    const auto found = probeImageFormat(fd);
    if (found == format)
        return {};
    const std::string fmt(toString(format));
    return refusal(EINVAL, Rule::ImageFormatMismatch,
                   "refusing " + name + ": it is not a " + fmt + " image (" +
                       (found ? "it is a " + std::string(toString(*found)) + " image"
                              : "it has no " + fmt + " header") +
                       ")",
                   "; name the format it has with --source-format or --format");
}

Result<BackingFile> qcow2Backing(int fd, const std::string& imagePath)
{
    // The header (docs/interop/qcow2.txt): big-endian, version 2 is 72
    // bytes, version 3 says its length at byte 100.
    std::array<unsigned char, 104> h{};
    if (auto r = readExactly(fd, h.data(), h.size(), 0, imagePath); !r)
        return r.error();
    if (std::memcmp(h.data(), "QFI\xfb", 4) != 0)
        return Error{EINVAL, imagePath + " is not a qcow2 image"};
    const std::uint32_t version = be32(&h[4]);
    const std::uint64_t nameOffset = be64(&h[8]);
    const std::uint32_t nameLength = be32(&h[16]);
    BackingFile b;
    if (nameOffset == 0 || nameLength == 0)
        return b;
    if (nameLength > 1023) // QEMU's own limit
        return Error{EINVAL, imagePath + ": backing file name longer than qcow2 allows"};
    b.named.resize(nameLength);
    if (auto r = readExactly(fd, b.named.data(), nameLength, nameOffset, imagePath); !r)
        return r.error();
    if (b.named.find('\0') != std::string::npos || b.named.find(':') != std::string::npos)
        return Error{EINVAL, imagePath + ": backing file '" + b.named +
                                 "' is no plain file name (a protocol or a NUL in it)"};
    const std::filesystem::path named(b.named);
    b.path =
        named.is_absolute()
            ? b.named
            : (std::filesystem::path(imagePath).parent_path() / named).lexically_normal().string();

    // Header extensions follow the header; the backing format is one.
    std::uint64_t at = version >= 3 ? be32(&h[100]) : 72;
    for (int i = 0; i < 64 && at < nameOffset + 65536; ++i) {
        std::array<unsigned char, 8> ext{};
        if (!readExactly(fd, ext.data(), ext.size(), at, imagePath))
            break;
        const std::uint32_t type = be32(&ext[0]);
        const std::uint32_t length = be32(&ext[4]);
        if (type == 0)
            break; // end of the extensions
        if (type == 0xe2792aca && length > 0 && length < 64) {
            std::string fmt(length, '\0');
            if (readExactly(fd, fmt.data(), length, at + 8, imagePath))
                b.format = parseImageFormat(fmt);
            break;
        }
        at += 8 + ((std::uint64_t{length} + 7) & ~std::uint64_t{7});
    }
    if (!b.format) {
        const int bfd = ::open(b.path.c_str(), O_RDONLY | O_CLOEXEC);
        if (bfd >= 0) {
            b.format = probeImageFormat(bfd).value_or(ImageFormat::Raw);
            ::close(bfd);
        }
    }
    return b;
}

namespace {

// Runs qemu-img with @p args on the node open at @p fd (its /dev/fd/3) and
// returns what it printed on stdout, or its last line of complaint.
Result<std::string> runQemuImg(const std::vector<std::string>& args, int fd,
                               const std::string& what)
{
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return systemError(errno, what);
    if (::pipe2(err, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(out[0]);
        ::close(out[1]);
        return systemError(e, what);
    }
    auto pid = spawnChild(args, out[1], err[1], false, fd);
    ::close(out[1]);
    ::close(err[1]);
    const auto drain = [](int from) {
        std::string text;
        char buf[4096];
        for (;;) {
            const ssize_t n = ::read(from, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            text.append(buf, static_cast<std::size_t>(n));
        }
        ::close(from);
        return text;
    };
    if (!pid) {
        ::close(out[0]);
        ::close(err[0]);
        if (pid.error().code == ENOENT)
            return Error{ENOENT, "qemu-img is not installed (Debian: apt install qemu-utils)"};
        return pid.error();
    }
    // qemu-img says little on stderr: reading stdout first cannot block it.
    std::string printed = drain(out[0]);
    std::string said = drain(err[0]);
    int status = 0;
    while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return printed;
    while (!said.empty() && (said.back() == '\n' || said.back() == ' '))
        said.pop_back();
    if (const auto nl = said.rfind('\n'); nl != std::string::npos)
        said.erase(0, nl + 1);
    if (said.rfind("qemu-img: ", 0) == 0)
        said.erase(0, 10);
    return Error{EIO, what + ": " + (said.empty() ? std::string("qemu-img failed") : said)};
}

} // namespace

Result<void> createImage(int fd, const std::string& name, ImageFormat format, std::uint64_t size,
                         const BackingFile* backing)
{
    std::vector<std::string> args{"qemu-img", "create", "-q", "-f", std::string(toString(format))};
    if (backing && !backing->path.empty()) {
        if (format != ImageFormat::Qcow2)
            return Error{EINVAL, name + ": only a qcow2 image has a backing file"};
        // -u: the backing is the caller's to have checked; opened here, it
        // would be read with this process's rights.
        args.insert(args.end(),
                    {"-u", "-b", backing->path, "-F",
                     std::string(toString(backing->format.value_or(ImageFormat::Raw)))});
    }
    args.insert(args.end(), {"/dev/fd/3", std::to_string(size)});
    auto r = runQemuImg(args, fd, "create " + std::string(toString(format)) + " image " + name);
    if (!r)
        return r.error();
    return {};
}

Result<std::uint64_t> virtualSize(int fd, const std::string& name, ImageFormat format)
{
    auto r = runQemuImg({"qemu-img", "info", "--output=json", "-U", "-f",
                         std::string(toString(format)), "/dev/fd/3"},
                        fd, "size of " + name);
    if (!r)
        return r.error();
    // One number in qemu-img's JSON; no parser needed for it.
    constexpr std::string_view key = "\"virtual-size\":";
    const auto at = r->find(key);
    if (at == std::string::npos)
        return Error{EIO, "size of " + name + ": qemu-img did not say it"};
    return std::strtoull(r->c_str() + at + key.size(), nullptr, 10);
}

} // namespace engine
