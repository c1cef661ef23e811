#include "taskqueue/wire_writer.h"

#include <bit>
#include <type_traits>

#include "caf/sec.hpp"

namespace taskqueue {

void WireWriter::PutBigEndian(uint64_t x, size_t bytes) {
  for (size_t i = bytes; i > 0; --i) {
    out_.push_back(static_cast<char>((x >> (8 * (i - 1))) & 0xff));
  }
}

template <class Integer>
caf::error WireWriter::PutInteger(Integer x) {
  PutBigEndian(static_cast<std::make_unsigned_t<Integer>>(x), sizeof(Integer));
  return caf::none;
}

void WireWriter::PutVarint(uint64_t x) {
  while (x > 0x7f) {
    out_.push_back(static_cast<char>((x & 0x7f) | 0x80));
    x >>= 7;
  }
  out_.push_back(static_cast<char>(x));
}

caf::error WireWriter::begin_object(uint16_t& type_nr, std::string& name) {
  PutBigEndian(type_nr, 2);
  if (type_nr == 0) return apply_impl(name);
  return caf::none;
}

caf::error WireWriter::end_object() { return caf::none; }

caf::error WireWriter::begin_sequence(size_t& size) {
  PutVarint(size);
  return caf::none;
}

caf::error WireWriter::end_sequence() { return caf::none; }

caf::error WireWriter::apply_raw(size_t num_bytes, void* data) {
  const char* bytes = static_cast<const char*>(data);
  out_.insert(out_.end(), bytes, bytes + num_bytes);
  return caf::none;
}

caf::error WireWriter::apply_impl(int8_t& x) { return PutInteger(x); }
caf::error WireWriter::apply_impl(uint8_t& x) { return PutInteger(x); }
caf::error WireWriter::apply_impl(int16_t& x) { return PutInteger(x); }
caf::error WireWriter::apply_impl(uint16_t& x) { return PutInteger(x); }
caf::error WireWriter::apply_impl(int32_t& x) { return PutInteger(x); }
caf::error WireWriter::apply_impl(uint32_t& x) { return PutInteger(x); }
caf::error WireWriter::apply_impl(int64_t& x) { return PutInteger(x); }
caf::error WireWriter::apply_impl(uint64_t& x) { return PutInteger(x); }

// The bits as they are: every NaN payload, both zeros and both infinities
// survive.
caf::error WireWriter::apply_impl(float& x) {
  PutBigEndian(std::bit_cast<uint32_t>(x), 4);
  return caf::none;
}
caf::error WireWriter::apply_impl(double& x) {
  PutBigEndian(std::bit_cast<uint64_t>(x), 8);
  return caf::none;
}
caf::error WireWriter::apply_impl(long double&) {
  return caf::make_error(caf::sec::invalid_argument,
                         "taskqueue: long double has no portable wire form");
}

caf::error WireWriter::apply_impl(std::string& x) {
  PutVarint(x.size());
  out_.insert(out_.end(), x.begin(), x.end());
  return caf::none;
}
caf::error WireWriter::apply_impl(std::u16string& x) {
  PutVarint(x.size());
  for (char16_t c : x) PutBigEndian(c, 2);
  return caf::none;
}
caf::error WireWriter::apply_impl(std::u32string& x) {
  PutVarint(x.size());
  for (char32_t c : x) PutBigEndian(c, 4);
  return caf::none;
}

}  // namespace taskqueue
