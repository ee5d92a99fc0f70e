#include "sim/config/input_limits.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "sim/config/config_document.hpp"

namespace icsflow::sim::config {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& referrer,
                         const std::string& why) {
    const std::string prefix = referrer.empty() ? "" : referrer + ": ";
    throw ConfigFileError(prefix + "cannot read configuration file '" + path + "': " + why);
}

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) {
        return "it is a directory";
    }
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        return "it is a device";
    }
    if (S_ISFIFO(mode)) {
        return "it is a FIFO";
    }
    if (S_ISSOCK(mode)) {
        return "it is a socket";
    }
    return "it is not a regular file";
}

// Walks TOML text just enough to know, at every character, how deeply the value being written is
// nested: strings and comments are skipped, brackets and braces open and close levels, and dots
// in a key or a table header add one level per part.
class NestingScanner {
  public:
    NestingScanner(const std::string& text, const std::string& file_name)
        : text_(text), file_(file_name) {}

    void run() {
        levels_.push_back(Level{'\0', 0});
        start_key(0);
        while (i_ < text_.size()) {
            const char c = text_[i_];
            if (c == '\n') {
                ++line_;
                ++i_;
                if (levels_.size() == 1) {
                    start_key(header_depth_);
                    at_line_start_ = true;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                ++i_;
                continue;
            }
            if (c == '#') {
                skip_comment();
                continue;
            }
            if (c == '"' || c == '\'') {
                skip_string(c);
                at_line_start_ = false;
                continue;
            }
            if (at_line_start_ && levels_.size() == 1 && c == '[') {
                scan_header();
                continue;
            }
            at_line_start_ = false;
            scan_character(c);
            ++i_;
        }
    }

  private:
    struct Level {
        char opener;     // '[', '{', or '\0' for the top level
        unsigned depth;  // nesting of a value written at this level
    };

    void start_key(unsigned depth) {
        in_key_ = true;
        key_depth_ = depth + 1;
        check(key_depth_);
    }

    void check(unsigned depth) const {
        if (depth > kMaxNesting) {
            throw ConfigError({ConfigIssue{
                file_, line_, "",
                "nested more than " + std::to_string(kMaxNesting) +
                    " deep (tables, dotted keys, arrays and inline tables, one in another)"}});
        }
    }

    void scan_character(char c) {
        if (in_key_) {
            if (c == '.') {
                check(++key_depth_);
            } else if (c == '=') {
                in_key_ = false;
            } else if (c == '}' && levels_.back().opener == '{') {
                close_level();  // an empty inline table, or a trailing key-less brace
            }
            return;
        }
        switch (c) {
            case '[':
            case '{': {
                // A value opened directly in an array sits one level below the array; one
                // assigned to a key sits where the key ends.
                const unsigned base =
                    levels_.back().opener == '[' ? levels_.back().depth + 1 : key_depth_;
                levels_.push_back(Level{c, base});
                check(base);
                if (c == '{') {
                    start_key(base);
                }
                break;
            }
            case ']':
            case '}':
                close_level();
                break;
            case ',':
                if (levels_.back().opener == '{') {
                    start_key(levels_.back().depth);
                }
                break;
            default:
                break;
        }
    }

    void close_level() {
        if (levels_.size() > 1) {
            levels_.pop_back();
        }
        in_key_ = false;
    }

    // [a.b.c] or [[a.b.c]]: the keys beneath it start that deep.
    void scan_header() {
        ++i_;
        if (i_ < text_.size() && text_[i_] == '[') {
            ++i_;
        }
        unsigned depth = 1;
        check(depth);
        while (i_ < text_.size() && text_[i_] != ']' && text_[i_] != '\n') {
            const char c = text_[i_];
            if (c == '"' || c == '\'') {
                skip_string(c);
                continue;
            }
            if (c == '.') {
                check(++depth);
            }
            ++i_;
        }
        header_depth_ = depth;
        at_line_start_ = false;
        in_key_ = false;
        // The rest of the line (the closing brackets, a comment) opens nothing.
        while (i_ < text_.size() && text_[i_] != '\n') {
            if (text_[i_] == '#') {
                skip_comment();
                break;
            }
            ++i_;
        }
    }

    void skip_comment() {
        while (i_ < text_.size() && text_[i_] != '\n') {
            ++i_;
        }
    }

    // A basic or literal string, single- or multi-line; lines inside are counted.
    void skip_string(char quote) {
        const bool multi = text_.compare(i_, 3, std::string(3, quote)) == 0;
        i_ += multi ? 3 : 1;
        while (i_ < text_.size()) {
            const char c = text_[i_];
            if (c == '\n') {
                if (!multi) {
                    refuse_string("a string is not closed on its line");
                }
                ++line_;
            } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r') ||
                       c == 0x7f) {
                // TOML allows no control characters in strings; refused here because the
                // parser's error path for them reads past its buffer (toml11 3.7).
                refuse_string("a control character in a string");
            }
            if (c == '\\' && quote == '"') {
                if (i_ + 1 < text_.size() && text_[i_ + 1] == '\n') {
                    ++line_;
                }
                i_ += 2;
                continue;
            }
            if (c == quote) {
                if (!multi) {
                    ++i_;
                    return;
                }
                if (text_.compare(i_, 3, std::string(3, quote)) == 0) {
                    i_ += 3;
                    // Up to two more quotes may belong to the string (`""""` ends with a quote).
                    while (i_ < text_.size() && text_[i_] == quote) {
                        ++i_;
                    }
                    return;
                }
            }
            ++i_;
        }
        refuse_string("a string is not closed before the end of the file");
    }

    [[noreturn]] void refuse_string(const std::string& message) const {
        throw ConfigError({ConfigIssue{file_, line_, "", "TOML syntax error: " + message}});
    }

    const std::string& text_;
    const std::string& file_;
    std::size_t i_ = 0;
    unsigned line_ = 1;
    std::vector<Level> levels_;
    unsigned header_depth_ = 0;
    unsigned key_depth_ = 0;
    bool in_key_ = false;
    bool at_line_start_ = true;
};

}  // namespace

std::string read_config_file(const std::string& path, const std::string& referrer) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
        refuse(path, referrer, std::strerror(errno));
    }
    if (!S_ISREG(status.st_mode)) {
        refuse(path, referrer, kind_of(status.st_mode));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        refuse(path, referrer, "cannot open it");
    }
    // Reads at most one byte past the limit, whatever the file claims its size is.
    std::string text(kMaxConfigBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) {
        refuse(path, referrer, "a read failed");
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
        refuse(path, referrer,
               "larger than " + std::to_string(kMaxConfigBytes >> 20) + " MiB, the limit");
    }
    return text;
}

namespace {

// TOML files are UTF-8; the parser's error path for invalid bytes in a string reads past its
// buffer (toml11 3.7), so they are refused before it sees them, at their line.
void check_utf8(const std::string& text, const std::string& file_name) {
    unsigned line = 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '\n') {
            ++line;
        }
        std::size_t length = 1;
        if (byte >= 0xF0 && byte <= 0xF4) {
            length = 4;
        } else if (byte >= 0xE0) {
            length = 3;
        } else if (byte >= 0xC2 && byte <= 0xDF) {
            length = 2;
        } else if (byte >= 0x80) {
            length = 0;  // a continuation byte or an invalid lead byte
        }
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        }
        if (!valid) {
            throw ConfigError(
                {ConfigIssue{file_name, line, "", "not valid UTF-8 (TOML files must be UTF-8)"}});
        }
        i += length;
    }
}

}  // namespace

void check_nesting(const std::string& text, const std::string& file_name) {
    check_utf8(text, file_name);
    NestingScanner(text, file_name).run();
}

}  // namespace icsflow::sim::config
