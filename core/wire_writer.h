// WireWriter: encodes values into the bytes a named task's arguments and
// result travel in (to a worker node, and later into the journal), using the
// types' CAF inspection (`inspect`), the same declaration CAF messages use.
//
//   std::vector<char> bytes;
//   taskqueue::WireWriter writer(bytes);
//   if (caf::error e = writer(3.5, std::string("plot"), points)) { ... }
//
// Why not caf::binary_serializer: CAF 0.17.6 packs floating-point values
// through detail::pack754, which turns NaN payloads, signalling NaNs and
// infinities into garbage (fixed upstream only in 0.18), and truncates
// sequence sizes to 32 bits. This format stores floats as their IEEE-754
// bits and sizes as 64-bit varints; otherwise it is CAF's binary format.
// `long double` is refused (its layout differs between machines).
//
// Integers are stored big-endian, so bytes written on one machine read the
// same on any other. Not thread-safe; appends to the buffer it is given,
// which must outlive it.
#ifndef TASKQUEUE_CORE_WIRE_WRITER_H_
#define TASKQUEUE_CORE_WIRE_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/serializer.hpp"

namespace taskqueue {

class WireWriter final : public caf::serializer {
 public:
  explicit WireWriter(std::vector<char>& out) : out_(out) {}

  caf::error begin_object(uint16_t& type_nr, std::string& name) override;
  caf::error end_object() override;
  caf::error begin_sequence(size_t& size) override;
  caf::error end_sequence() override;
  caf::error apply_raw(size_t num_bytes, void* data) override;

 protected:
  caf::error apply_impl(int8_t& x) override;
  caf::error apply_impl(uint8_t& x) override;
  caf::error apply_impl(int16_t& x) override;
  caf::error apply_impl(uint16_t& x) override;
  caf::error apply_impl(int32_t& x) override;
  caf::error apply_impl(uint32_t& x) override;
  caf::error apply_impl(int64_t& x) override;
  caf::error apply_impl(uint64_t& x) override;
  caf::error apply_impl(float& x) override;
  caf::error apply_impl(double& x) override;
  caf::error apply_impl(long double& x) override;
  caf::error apply_impl(std::string& x) override;
  caf::error apply_impl(std::u16string& x) override;
  caf::error apply_impl(std::u32string& x) override;

 private:
  void PutBigEndian(uint64_t x, size_t bytes);
  void PutVarint(uint64_t x);
  template <class Integer>
  caf::error PutInteger(Integer x);

  std::vector<char>& out_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_WIRE_WRITER_H_
