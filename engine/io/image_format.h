// Image formats: the virtual machines' disk files (qcow2, vmdk, vhdx, vdi)
// next to raw images and disks.
//
// A formatted image's bytes are not the disk's bytes: its virtual disk is
// read and written through qemu-nbd, which knows every format QEMU knows
// (Disk::openImage). What the engine itself needs is small: which format a
// path is meant to have (its extension, or the user's --format), which
// format a file really has (its magic), and a qcow2's backing file (its
// header), so that a mistake is refused with words before qemu-nbd runs.
#pragma once

#include "base/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace engine {

enum class ImageFormat { Raw, Qcow2, Vmdk, Vhdx, Vdi };

/// "raw", "qcow2", "vmdk", "vhdx", "vdi": also qemu's driver names.
std::string_view toString(ImageFormat format);
std::optional<ImageFormat> parseImageFormat(std::string_view text);
/// The format a name's extension stands for (.qcow2, .vmdk, .vhdx, .vdi,
/// any case); nullopt for any other name, which is raw unless said.
std::optional<ImageFormat> formatOfName(std::string_view path);
/// The format of a path: @p given when the user said one, else its name's.
inline ImageFormat formatOf(std::string_view path, std::optional<ImageFormat> given)
{
    return given ? *given : formatOfName(path).value_or(ImageFormat::Raw);
}

/// What the first bytes of a file are: the format whose magic they carry,
/// nullopt when they carry none of the four (raw data, or empty).
std::optional<ImageFormat> probeImageFormat(int fd);

/// Whether the file open at @p fd carries @p format's magic (raw: always);
/// a refusal (rule: image format mismatch) naming @p name otherwise.
Result<void> checkImageMagic(int fd, const std::string& name, ImageFormat format);

/// A qcow2's backing file as its header names it (empty: none), and its
/// path resolved against the image's directory (@p imagePath) as QEMU
/// resolves it, and the backing's format (its header extension; else
/// probed from the backing's own magic).
struct BackingFile
{
    std::string named;
    std::string path;
    std::optional<ImageFormat> format;
};
Result<BackingFile> qcow2Backing(int fd, const std::string& imagePath);

/// Writes an empty image of @p format with a virtual disk of @p size bytes
/// into the empty file open at @p fd (qemu-img create on that very node),
/// over @p backing when given (qcow2 only; the backing is not opened here:
/// its path and format are taken as given). @p name is for messages.
Result<void> createImage(int fd, const std::string& name, ImageFormat format, std::uint64_t size,
                         const BackingFile* backing = nullptr);
/// The size of the virtual disk of the @p format image open at @p fd.
Result<std::uint64_t> virtualSize(int fd, const std::string& name, ImageFormat format);

} // namespace engine
