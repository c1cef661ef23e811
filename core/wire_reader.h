// WireReader: decodes what WireWriter wrote (wire_writer.h), for a named
// task's arguments on a worker node and its result back in the queue.
//
//   taskqueue::WireReader reader(bytes);
//   double rate;
//   std::vector<Point> points;
//   if (caf::error e = reader(rate, points)) { ... }   // bytes did not fit
//   if (!reader.at_end()) { ... }                       // bytes left over
//
// The bytes may come from anywhere, a network peer included: every read is
// bounds-checked, and a sequence may not claim more elements than there are
// bytes left, so a forged size cannot make it allocate gigabytes. Bad bytes
// give a caf::error (sec::end_of_stream, or sec::invalid_argument for a
// malformed size or a refused type), never a crash; what was read into by a
// failed read is left valid but unspecified.
//
// Not thread-safe; reads from a buffer that must outlive it.
#ifndef TASKQUEUE_CORE_WIRE_READER_H_
#define TASKQUEUE_CORE_WIRE_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "caf/deserializer.hpp"
#include "caf/error.hpp"

namespace taskqueue {

class WireReader final : public caf::deserializer {
 public:
  explicit WireReader(std::string_view bytes)
      : next_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  template <class Bytes>
  explicit WireReader(const Bytes& bytes)
      : WireReader(std::string_view(bytes.data(), bytes.size())) {}

  // Whether every byte has been read.
  bool at_end() const { return next_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - next_); }

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
  caf::error GetBigEndian(size_t bytes, uint64_t& x);
  caf::error GetVarint(uint64_t& x);
  // Reads a size of elements of `element_size` bytes each, refusing one
  // that claims more than the bytes left.
  caf::error GetSize(size_t element_size, size_t& size);
  template <class Integer>
  caf::error GetInteger(Integer& x);
  template <class String>
  caf::error GetString(String& x);

  const char* next_;
  const char* end_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_WIRE_READER_H_
