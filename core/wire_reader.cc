#include "taskqueue/wire_reader.h"

#include <bit>
#include <cstring>

#include "caf/sec.hpp"

namespace taskqueue {
namespace {

caf::error Truncated() {
  return caf::make_error(caf::sec::end_of_stream,
                         "taskqueue: wire bytes end early");
}

}  // namespace

caf::error WireReader::GetBigEndian(size_t bytes, uint64_t& x) {
  if (remaining() < bytes) return Truncated();
  x = 0;
  for (size_t i = 0; i < bytes; ++i) {
    x = (x << 8) | static_cast<unsigned char>(*next_++);
  }
  return caf::none;
}

caf::error WireReader::GetVarint(uint64_t& x) {
  x = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_end()) return Truncated();
    auto byte = static_cast<unsigned char>(*next_++);
    if (shift == 63 && byte > 1) break;  // More than 64 bits.
    x |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return caf::none;
  }
  return caf::make_error(caf::sec::invalid_argument,
                         "taskqueue: wire size longer than 64 bits");
}

caf::error WireReader::GetSize(size_t element_size, size_t& size) {
  uint64_t n = 0;
  if (caf::error e = GetVarint(n)) return e;
  // Every element takes at least one byte here, except empty types (which
  // an argument has no reason to hold a sequence of).
  if (n > remaining() / (element_size == 0 ? 1 : element_size)) {
    return caf::make_error(caf::sec::invalid_argument,
                           "taskqueue: wire sequence claims more elements "
                           "than there are bytes");
  }
  size = static_cast<size_t>(n);
  return caf::none;
}

template <class Integer>
caf::error WireReader::GetInteger(Integer& x) {
  uint64_t bits = 0;
  if (caf::error e = GetBigEndian(sizeof(Integer), bits)) return e;
  x = static_cast<Integer>(bits);  // Modular: gives back a negative value.
  return caf::none;
}

template <class String>
caf::error WireReader::GetString(String& x) {
  constexpr size_t kUnit = sizeof(typename String::value_type);
  size_t size = 0;
  if (caf::error e = GetSize(kUnit, size)) return e;
  x.resize(size);
  for (auto& c : x) {
    uint64_t unit = 0;
    GetBigEndian(kUnit, unit);  // In range: GetSize checked.
    c = static_cast<typename String::value_type>(unit);
  }
  return caf::none;
}

caf::error WireReader::begin_object(uint16_t& type_nr, std::string& name) {
  uint64_t nr = 0;
  if (caf::error e = GetBigEndian(2, nr)) return e;
  type_nr = static_cast<uint16_t>(nr);
  if (type_nr == 0) return GetString(name);
  return caf::none;
}

caf::error WireReader::end_object() { return caf::none; }

caf::error WireReader::begin_sequence(size_t& size) { return GetSize(1, size); }

caf::error WireReader::end_sequence() { return caf::none; }

caf::error WireReader::apply_raw(size_t num_bytes, void* data) {
  if (remaining() < num_bytes) return Truncated();
  std::memcpy(data, next_, num_bytes);
  next_ += num_bytes;
  return caf::none;
}

caf::error WireReader::apply_impl(int8_t& x) { return GetInteger(x); }
caf::error WireReader::apply_impl(uint8_t& x) { return GetInteger(x); }
caf::error WireReader::apply_impl(int16_t& x) { return GetInteger(x); }
caf::error WireReader::apply_impl(uint16_t& x) { return GetInteger(x); }
caf::error WireReader::apply_impl(int32_t& x) { return GetInteger(x); }
caf::error WireReader::apply_impl(uint32_t& x) { return GetInteger(x); }
caf::error WireReader::apply_impl(int64_t& x) { return GetInteger(x); }
caf::error WireReader::apply_impl(uint64_t& x) { return GetInteger(x); }

caf::error WireReader::apply_impl(float& x) {
  uint64_t bits = 0;
  if (caf::error e = GetBigEndian(4, bits)) return e;
  x = std::bit_cast<float>(static_cast<uint32_t>(bits));
  return caf::none;
}
caf::error WireReader::apply_impl(double& x) {
  uint64_t bits = 0;
  if (caf::error e = GetBigEndian(8, bits)) return e;
  x = std::bit_cast<double>(bits);
  return caf::none;
}
caf::error WireReader::apply_impl(long double&) {
  return caf::make_error(caf::sec::invalid_argument,
                         "taskqueue: long double has no portable wire form");
}

caf::error WireReader::apply_impl(std::string& x) { return GetString(x); }
caf::error WireReader::apply_impl(std::u16string& x) { return GetString(x); }
caf::error WireReader::apply_impl(std::u32string& x) { return GetString(x); }

}  // namespace taskqueue
