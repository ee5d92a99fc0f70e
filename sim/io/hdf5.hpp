#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/io/io_error.hpp"

namespace icsflow::sim::h5 {

// An HDF5 call failed; the message carries the library's own error stack.
class Hdf5Error : public IoError {
  public:
    using IoError::IoError;
};

// Silences HDF5's automatic error printing for the life of the process; errors are turned into
// Hdf5Error exceptions with the stack text instead. Called by every entry point of this layer.
void quiet_library_errors();

// Owns one hid_t and closes it with the matching H5*close when it goes out of scope.
class Handle {
  public:
    using Closer = herr_t (*)(hid_t);

    Handle() = default;
    Handle(hid_t id, Closer closer, const char* what);  // throws if id < 0
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& other) noexcept;
    Handle& operator=(Handle&& other) noexcept;
    ~Handle();

    [[nodiscard]] hid_t id() const { return id_; }
    [[nodiscard]] bool valid() const { return id_ >= 0; }
    void close();

  private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

class Group;

// A location that holds attributes and children: a file, a group or a dataset.
class Object {
  public:
    [[nodiscard]] hid_t id() const { return handle_.id(); }

    void set_attribute(const std::string& name, const std::string& value);
    void set_attribute(const std::string& name, const char* value);
    void set_attribute(const std::string& name, double value);
    void set_attribute(const std::string& name, std::int64_t value);
    void set_attribute(const std::string& name, const std::vector<std::int64_t>& values);
    void set_attribute(const std::string& name, const std::vector<double>& values);
    void set_attribute(const std::string& name, const std::vector<std::string>& values);

    [[nodiscard]] bool has_attribute(const std::string& name) const;
    [[nodiscard]] std::string string_attribute(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> string_array_attribute(const std::string& name) const;
    [[nodiscard]] std::vector<std::int64_t> integer_attribute(const std::string& name) const;
    [[nodiscard]] std::vector<double> double_attribute(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> attribute_names() const;
    // Copies attribute `name` (any type and shape) onto `target`, replacing one of that name.
    void copy_attribute_to(const std::string& name, Object& target) const;

  protected:
    Object() = default;
    explicit Object(Handle handle) : handle_(std::move(handle)) {}
    Handle handle_;
};

enum class ElementType { float64, int64, uint64, string };

class Dataset : public Object {
  public:
    Dataset() = default;
    static Dataset open(hid_t parent, const std::string& name);

    [[nodiscard]] std::vector<hsize_t> shape() const;
    [[nodiscard]] ElementType element_type() const;

    // Writes `values` (row-major) into the block starting at `offset` with extent `count`.
    void write_block(const std::vector<hsize_t>& offset, const std::vector<hsize_t>& count,
                     const double* values);
    void write_block(const std::vector<hsize_t>& offset, const std::vector<hsize_t>& count,
                     const std::int64_t* values);
    void write_all(const std::vector<double>& values);
    void write_all(const std::vector<std::int64_t>& values);
    void write_all(const std::vector<std::uint64_t>& values);
    void write_all(const std::vector<std::string>& values);

    [[nodiscard]] std::vector<double> read_doubles() const;
    // Reads the block starting at `offset` with extent `count` into `values` (row-major).
    void read_block(const std::vector<hsize_t>& offset, const std::vector<hsize_t>& count,
                    double* values) const;
    [[nodiscard]] std::vector<std::int64_t> read_integers() const;
    [[nodiscard]] std::vector<std::string> read_strings() const;

    // Dimension scales (the netCDF-4 / xarray convention for named axes).
    void make_scale(const std::string& axis_name);
    void attach_scale(const Dataset& scale, unsigned dimension);
    void label_dimension(unsigned dimension, const std::string& label);

  private:
    friend class Group;
    explicit Dataset(Handle handle) : Object(std::move(handle)) {}
};

struct DatasetOptions {
    std::vector<hsize_t> chunk;  // empty: contiguous
    int gzip_level = 0;          // with shuffle when > 0
};

class Group : public Object {
  public:
    Group() = default;
    [[nodiscard]] Group create_group(const std::string& name);
    [[nodiscard]] Group open_group(const std::string& name) const;
    [[nodiscard]] bool has_child(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> child_names() const;  // in name order
    [[nodiscard]] bool child_is_group(const std::string& name) const;

    [[nodiscard]] Dataset create_dataset(const std::string& name, ElementType type,
                                         const std::vector<hsize_t>& shape,
                                         const DatasetOptions& options = {});
    [[nodiscard]] Dataset open_dataset(const std::string& name) const;

    // A dataset holding one variable-length UTF-8 string (the config text, say).
    void write_string_dataset(const std::string& name, const std::string& text);

  protected:
    friend class File;
    explicit Group(Handle handle) : Object(std::move(handle)) {}
};

class File : public Group {
  public:
    File() = default;
    enum class Existing { truncate, refuse };
    // Creates `path` for writing; an existing file is truncated, or with `refuse` left alone
    // (Hdf5Error), so that a name meant to be this process's own is never shared.
    static File create(const std::string& path, Existing existing = Existing::truncate);
    static File open_read_only(const std::string& path);
    // An existing file, to add to it.
    static File open_read_write(const std::string& path);
    void flush();
    void close() { handle_.close(); }

  private:
    explicit File(Handle handle) : Group(std::move(handle)) {}
};

// "1.10.8"
[[nodiscard]] std::string library_version();

}  // namespace icsflow::sim::h5
