#include "sim/io/hdf5.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>

namespace icsflow::sim::h5 {

namespace {

herr_t collect_error(unsigned depth, const H5E_error2_t* error, void* data) {
    auto* text = static_cast<std::string*>(data);
    if (depth < 4 && error->desc != nullptr) {
        if (!text->empty()) {
            *text += "; ";
        }
        *text += error->desc;
        if (error->func_name != nullptr) {
            *text += std::string(" (") + error->func_name + ")";
        }
    }
    return 0;
}

[[noreturn]] void fail(const std::string& what) {
    std::string stack;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &stack);
    H5Eclear2(H5E_DEFAULT);
    throw Hdf5Error("HDF5: " + what + (stack.empty() ? "" : ": " + stack));
}

void check(herr_t status, const std::string& what) {
    if (status < 0) {
        fail(what);
    }
}

Handle string_type() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
    check(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
    check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
    return type;
}

// Little-endian file types so a file reads the same on any machine.
hid_t file_type(ElementType type) {
    switch (type) {
        case ElementType::float64:
            return H5T_IEEE_F64LE;
        case ElementType::int64:
            return H5T_STD_I64LE;
        case ElementType::uint64:
            return H5T_STD_U64LE;
        case ElementType::string:
            break;
    }
    return H5T_IEEE_F64LE;
}

Handle scalar_space() {
    return Handle(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
}

Handle simple_space(const std::vector<hsize_t>& dims) {
    return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                  "create dataspace");
}

void replace_attribute(hid_t location, const std::string& name) {
    const htri_t exists = H5Aexists(location, name.c_str());
    if (exists < 0) {
        fail("check attribute " + name);
    }
    if (exists > 0) {
        check(H5Adelete(location, name.c_str()), "delete attribute " + name);
    }
}

template <class T>
void write_numeric_attribute(hid_t location, const std::string& name, hid_t file_t, hid_t mem_t,
                             const std::vector<T>& values, bool scalar) {
    replace_attribute(location, name);
    Handle space = scalar ? scalar_space() : simple_space({values.size()});
    Handle attribute(
        H5Acreate2(location, name.c_str(), file_t, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "create attribute");
    check(H5Awrite(attribute.id(), mem_t, values.data()), "write attribute " + name);
}

// The number of elements of `space_id`, refusing what a damaged file may claim: an error (a
// negative count) or more than any results file holds, which would exhaust memory.
std::size_t element_count(hid_t space_id, const std::string& what) {
    constexpr hssize_t kMaxElements = hssize_t{1} << 28;
    const hssize_t count = H5Sget_simple_extent_npoints(space_id);
    if (count < 0) {
        fail("size of " + what);
    }
    if (count > kMaxElements) {
        throw Hdf5Error("HDF5: " + what + " claims " + std::to_string(count) +
                        " elements; the file is damaged");
    }
    return static_cast<std::size_t>(count);
}

std::vector<std::string> read_vlen_strings(hid_t object, bool is_attribute, hid_t space_id) {
    std::vector<char*> pointers(element_count(space_id, "string data"), nullptr);
    Handle type = string_type();
    if (is_attribute) {
        check(H5Aread(object, type.id(), pointers.data()), "read string attribute");
    } else {
        check(H5Dread(object, type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
              "read string dataset");
    }
    std::vector<std::string> out;
    out.reserve(pointers.size());
    for (char* p : pointers) {
        out.emplace_back(p != nullptr ? p : "");
    }
    H5Dvlen_reclaim(type.id(), space_id, H5P_DEFAULT, pointers.data());
    return out;
}

}  // namespace

void quiet_library_errors() {
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

Handle::Handle(hid_t id, Closer closer, const char* what) : id_(id), closer_(closer) {
    if (id < 0) {
        fail(what);
    }
}

Handle::Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) {
    other.id_ = H5I_INVALID_HID;
}

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        close();
        id_ = other.id_;
        closer_ = other.closer_;
        other.id_ = H5I_INVALID_HID;
    }
    return *this;
}

Handle::~Handle() {
    close();
}

void Handle::close() {
    if (id_ >= 0 && closer_ != nullptr) {
        closer_(id_);
    }
    id_ = H5I_INVALID_HID;
}

void Object::set_attribute(const std::string& name, const std::string& value) {
    replace_attribute(id(), name);
    Handle type = string_type();
    Handle space = scalar_space();
    Handle attribute(
        H5Acreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "create attribute");
    const char* text = value.c_str();
    check(H5Awrite(attribute.id(), type.id(), &text), "write attribute " + name);
}

void Object::set_attribute(const std::string& name, const char* value) {
    set_attribute(name, std::string(value));
}

void Object::set_attribute(const std::string& name, double value) {
    write_numeric_attribute(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                            std::vector<double>{value}, true);
}

void Object::set_attribute(const std::string& name, std::int64_t value) {
    write_numeric_attribute(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64,
                            std::vector<std::int64_t>{value}, true);
}

void Object::set_attribute(const std::string& name, const std::vector<std::int64_t>& values) {
    write_numeric_attribute(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, values, false);
}

void Object::set_attribute(const std::string& name, const std::vector<double>& values) {
    write_numeric_attribute(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values, false);
}

void Object::set_attribute(const std::string& name, const std::vector<std::string>& values) {
    replace_attribute(id(), name);
    Handle type = string_type();
    Handle space = simple_space({values.size()});
    Handle attribute(
        H5Acreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "create attribute");
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& v : values) {
        pointers.push_back(v.c_str());
    }
    check(H5Awrite(attribute.id(), type.id(), pointers.data()), "write attribute " + name);
}

namespace {

herr_t collect_attribute_name(hid_t /*location*/, const char* name, const H5A_info_t* /*info*/,
                              void* names) {
    static_cast<std::vector<std::string>*>(names)->emplace_back(name);
    return 0;
}

}  // namespace

std::vector<std::string> Object::attribute_names() const {
    std::vector<std::string> names;
    hsize_t index = 0;
    check(H5Aiterate2(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute_name, &names),
          "list attributes");
    return names;
}

void Object::copy_attribute_to(const std::string& name, Object& target) const {
    H5T_class_t type_class = H5T_NO_CLASS;
    bool scalar = false;
    {
        Handle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose,
                         ("open attribute " + name).c_str());
        Handle type(H5Aget_type(attribute.id()), H5Tclose, "attribute type");
        Handle space(H5Aget_space(attribute.id()), H5Sclose, "attribute space");
        type_class = H5Tget_class(type.id());
        scalar = H5Sget_simple_extent_type(space.id()) == H5S_SCALAR;
    }
    switch (type_class) {
        case H5T_STRING:
            if (scalar) {
                target.set_attribute(name, string_attribute(name));
            } else {
                target.set_attribute(name, string_array_attribute(name));
            }
            return;
        case H5T_INTEGER:
            if (scalar) {
                target.set_attribute(name, integer_attribute(name).at(0));
            } else {
                target.set_attribute(name, integer_attribute(name));
            }
            return;
        case H5T_FLOAT:
            if (scalar) {
                target.set_attribute(name, double_attribute(name).at(0));
            } else {
                target.set_attribute(name, double_attribute(name));
            }
            return;
        default:
            fail("copy attribute " + name + ": unsupported type");
    }
}

bool Object::has_attribute(const std::string& name) const {
    const htri_t exists = H5Aexists(id(), name.c_str());
    if (exists < 0) {
        fail("check attribute " + name);
    }
    return exists > 0;
}

std::string Object::string_attribute(const std::string& name) const {
    Handle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose,
                     ("open attribute " + name).c_str());
    Handle type(H5Aget_type(attribute.id()), H5Tclose, "attribute type");
    if (H5Tget_class(type.id()) != H5T_STRING) {
        throw Hdf5Error("HDF5: attribute '" + name + "' is not a string");
    }
    Handle space(H5Aget_space(attribute.id()), H5Sclose, "attribute space");
    if (H5Tis_variable_str(type.id()) > 0) {
        const auto values = read_vlen_strings(attribute.id(), true, space.id());
        return values.empty() ? "" : values.front();
    }
    const std::size_t size = H5Tget_size(type.id());
    if (size == 0 || size > (std::size_t{1} << 28)) {
        throw Hdf5Error("HDF5: attribute '" + name +
                        "' has an implausible size; the file is damaged");
    }
    std::string text(size, '\0');
    check(H5Aread(attribute.id(), type.id(), text.data()), "read attribute " + name);
    text.erase(std::find(text.begin(), text.end(), '\0'), text.end());
    return text;
}

std::vector<std::string> Object::string_array_attribute(const std::string& name) const {
    Handle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose,
                     ("open attribute " + name).c_str());
    Handle type(H5Aget_type(attribute.id()), H5Tclose, "attribute type");
    if (H5Tget_class(type.id()) != H5T_STRING || H5Tis_variable_str(type.id()) <= 0) {
        throw Hdf5Error("HDF5: attribute '" + name + "' is not a variable-length string array");
    }
    Handle space(H5Aget_space(attribute.id()), H5Sclose, "attribute space");
    return read_vlen_strings(attribute.id(), true, space.id());
}

std::vector<std::int64_t> Object::integer_attribute(const std::string& name) const {
    Handle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose,
                     ("open attribute " + name).c_str());
    Handle space(H5Aget_space(attribute.id()), H5Sclose, "attribute space");
    std::vector<std::int64_t> values(element_count(space.id(), "attribute " + name));
    check(H5Aread(attribute.id(), H5T_NATIVE_INT64, values.data()), "read attribute " + name);
    return values;
}

std::vector<double> Object::double_attribute(const std::string& name) const {
    Handle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose,
                     ("open attribute " + name).c_str());
    Handle space(H5Aget_space(attribute.id()), H5Sclose, "attribute space");
    std::vector<double> values(element_count(space.id(), "attribute " + name));
    check(H5Aread(attribute.id(), H5T_NATIVE_DOUBLE, values.data()), "read attribute " + name);
    return values;
}

Dataset Dataset::open(hid_t parent, const std::string& name) {
    return Dataset(Handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose,
                          ("open dataset " + name).c_str()));
}

std::vector<hsize_t> Dataset::shape() const {
    Handle space(H5Dget_space(id()), H5Sclose, "dataset space");
    const int rank = H5Sget_simple_extent_ndims(space.id());
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
    return dims;
}

ElementType Dataset::element_type() const {
    Handle type(H5Dget_type(id()), H5Tclose, "dataset type");
    switch (H5Tget_class(type.id())) {
        case H5T_FLOAT:
            return ElementType::float64;
        case H5T_INTEGER:
            return H5Tget_sign(type.id()) == H5T_SGN_NONE ? ElementType::uint64
                                                          : ElementType::int64;
        case H5T_STRING:
            return ElementType::string;
        default:
            throw Hdf5Error("HDF5: unsupported dataset element type");
    }
}

namespace {

void write_block_of(hid_t dataset, hid_t mem_type, const std::vector<hsize_t>& offset,
                    const std::vector<hsize_t>& count, const void* values) {
    Handle file_space(H5Dget_space(dataset), H5Sclose, "dataset space");
    check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, offset.data(), nullptr, count.data(),
                              nullptr),
          "select block");
    Handle memory_space = simple_space(count);
    check(H5Dwrite(dataset, mem_type, memory_space.id(), file_space.id(), H5P_DEFAULT, values),
          "write block");
}

}  // namespace

void Dataset::write_block(const std::vector<hsize_t>& offset, const std::vector<hsize_t>& count,
                          const double* values) {
    write_block_of(id(), H5T_NATIVE_DOUBLE, offset, count, values);
}

void Dataset::write_block(const std::vector<hsize_t>& offset, const std::vector<hsize_t>& count,
                          const std::int64_t* values) {
    write_block_of(id(), H5T_NATIVE_INT64, offset, count, values);
}

void Dataset::write_all(const std::vector<double>& values) {
    check(H5Dwrite(id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write dataset");
}

void Dataset::write_all(const std::vector<std::int64_t>& values) {
    check(H5Dwrite(id(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write dataset");
}

void Dataset::write_all(const std::vector<std::uint64_t>& values) {
    check(H5Dwrite(id(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write dataset");
}

void Dataset::write_all(const std::vector<std::string>& values) {
    Handle type = string_type();
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& v : values) {
        pointers.push_back(v.c_str());
    }
    check(H5Dwrite(id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "write string dataset");
}

std::vector<double> Dataset::read_doubles() const {
    Handle space(H5Dget_space(id()), H5Sclose, "dataset space");
    std::vector<double> values(element_count(space.id(), "dataset"));
    check(H5Dread(id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "read dataset");
    return values;
}

void Dataset::read_block(const std::vector<hsize_t>& offset, const std::vector<hsize_t>& count,
                         double* values) const {
    Handle file_space(H5Dget_space(id()), H5Sclose, "dataset space");
    check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, offset.data(), nullptr, count.data(),
                              nullptr),
          "select block");
    Handle memory_space = simple_space(count);
    check(H5Dread(id(), H5T_NATIVE_DOUBLE, memory_space.id(), file_space.id(), H5P_DEFAULT, values),
          "read block");
}

std::vector<std::int64_t> Dataset::read_integers() const {
    Handle space(H5Dget_space(id()), H5Sclose, "dataset space");
    std::vector<std::int64_t> values(element_count(space.id(), "dataset"));
    check(H5Dread(id(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "read dataset");
    return values;
}

std::vector<std::string> Dataset::read_strings() const {
    Handle space(H5Dget_space(id()), H5Sclose, "dataset space");
    return read_vlen_strings(id(), false, space.id());
}

void Dataset::make_scale(const std::string& axis_name) {
    check(H5DSset_scale(id(), axis_name.c_str()), "make dimension scale " + axis_name);
}

void Dataset::attach_scale(const Dataset& scale, unsigned dimension) {
    check(H5DSattach_scale(id(), scale.id(), dimension), "attach dimension scale");
}

void Dataset::label_dimension(unsigned dimension, const std::string& label) {
    check(H5DSset_label(id(), dimension, label.c_str()), "label dimension");
}

Group Group::create_group(const std::string& name) {
    return Group(Handle(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        H5Gclose, ("create group " + name).c_str()));
}

Group Group::open_group(const std::string& name) const {
    return Group(Handle(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), H5Gclose,
                        ("open group " + name).c_str()));
}

bool Group::has_child(const std::string& name) const {
    const htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
    if (exists < 0) {
        fail("check link " + name);
    }
    return exists > 0;
}

namespace {

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}

}  // namespace

std::vector<std::string> Group::child_names() const {
    std::vector<std::string> names;
    hsize_t index = 0;
    check(H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_name, &names), "list group");
    return names;
}

bool Group::child_is_group(const std::string& name) const {
    Handle object(H5Oopen(id(), name.c_str(), H5P_DEFAULT), H5Oclose,
                  ("open object " + name).c_str());
    return H5Iget_type(object.id()) == H5I_GROUP;
}

Dataset Group::create_dataset(const std::string& name, ElementType type,
                              const std::vector<hsize_t>& shape, const DatasetOptions& options) {
    Handle space = simple_space(shape);
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
    const bool empty = std::any_of(shape.begin(), shape.end(), [](hsize_t n) { return n == 0; });
    if (!options.chunk.empty() && !empty) {
        check(H5Pset_chunk(properties.id(), static_cast<int>(options.chunk.size()),
                           options.chunk.data()),
              "set chunking");
        if (options.gzip_level > 0) {
            check(H5Pset_shuffle(properties.id()), "set shuffle");
            check(H5Pset_deflate(properties.id(), static_cast<unsigned>(options.gzip_level)),
                  "set gzip");
        }
    }
    Handle string_t;
    hid_t type_id = H5I_INVALID_HID;
    if (type == ElementType::string) {
        string_t = string_type();
        type_id = string_t.id();
    } else {
        type_id = file_type(type);
        // NaN marks "no value" in float datasets (a percentage of an empty list, say).
        if (type == ElementType::float64) {
            const double fill = std::numeric_limits<double>::quiet_NaN();
            check(H5Pset_fill_value(properties.id(), H5T_NATIVE_DOUBLE, &fill), "set fill value");
        }
    }
    return Dataset(Handle(H5Dcreate2(id(), name.c_str(), type_id, space.id(), H5P_DEFAULT,
                                     properties.id(), H5P_DEFAULT),
                          H5Dclose, ("create dataset " + name).c_str()));
}

Dataset Group::open_dataset(const std::string& name) const {
    return Dataset::open(id(), name);
}

void Group::write_string_dataset(const std::string& name, const std::string& text) {
    Handle type = string_type();
    Handle space = scalar_space();
    Handle dataset(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT,
                              H5P_DEFAULT),
                   H5Dclose, ("create dataset " + name).c_str());
    const char* pointer = text.c_str();
    check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer),
          "write " + name);
}

File File::create(const std::string& path, Existing existing) {
    quiet_library_errors();
    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
    // Objects written with the 1.8 format are readable by every HDF5 reader in use.
    check(H5Pset_libver_bounds(access.id(), H5F_LIBVER_V18, H5F_LIBVER_V18), "set format bounds");
    const unsigned mode = existing == Existing::truncate ? H5F_ACC_TRUNC : H5F_ACC_EXCL;
    return File(Handle(H5Fcreate(path.c_str(), mode, H5P_DEFAULT, access.id()), H5Fclose,
                       ("create file " + path).c_str()));
}

File File::open_read_only(const std::string& path) {
    quiet_library_errors();
    return File(Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                       ("open file " + path).c_str()));
}

File File::open_read_write(const std::string& path) {
    quiet_library_errors();
    return File(Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose,
                       ("open file " + path + " for writing").c_str()));
}

void File::flush() {
    check(H5Fflush(id(), H5F_SCOPE_GLOBAL), "flush file");
}

std::string library_version() {
    unsigned major = 0;
    unsigned minor = 0;
    unsigned release = 0;
    H5get_libversion(&major, &minor, &release);
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

}  // namespace icsflow::sim::h5
