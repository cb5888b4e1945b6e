// What a disk or image holds, as libblkid recognises it: file systems,
// RAID and LVM members, swap, encrypted volumes, partition tables. Every one
// of them means data that an overwrite destroys, so each needs the user's
// explicit confirmation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace engine {

struct Signature
{
    std::string type;            ///< libblkid's TYPE or PTTYPE: ext4, btrfs, gpt, crypto_LUKS, ...
    std::string usage;           ///< filesystem, raid, crypto, other; empty for partition tables
    bool partitionTable = false; ///< from the partition table chain (PTTYPE)
    std::uint64_t offset = 0;    ///< where its magic number lies
};

/// Every signature on the open file or block device @p fd, as wipefs lists
/// them: all probers of both chains, signatures with a bad checksum
/// included (a damaged file system still holds someone's data). Reads
/// through @p fd, which must not be O_DIRECT.
std::vector<Signature> probeSignatures(int fd);

/// "an ext2/3/4 file system", "a GPT partition table", "a Btrfs file system",
/// ...: what a person is told is overwritten.
std::string describeSignature(const Signature& signature);

} // namespace engine
