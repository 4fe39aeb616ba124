#include "cli/csv_table.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace regpath::cli {
namespace {

CsvTable parse(const std::string& text, const std::string& source = "data.csv") {
  std::istringstream in(text);
  return parse_csv(in, source);
}

// The InputError message for `text`; fails the test if parsing succeeds.
std::string error_of(const std::string& text, const std::string& source = "data.csv") {
  try {
    parse(text, source);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for input: " << text;
  return "";
}

std::uint64_t bits_of(double v) {
  std::uint64_t b = 0;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

TEST(Csv, ReadsPlainTable) {
  const CsvTable t = parse("x,y,z\n1,2,3\n4,5.5,-6\n");
  EXPECT_EQ(t.source, "data.csv");
  ASSERT_EQ(t.names, (std::vector<std::string>{"x", "y", "z"}));
  ASSERT_EQ(t.cols(), 3u);
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.columns[0], (std::vector<double>{1, 4}));
  EXPECT_EQ(t.columns[1], (std::vector<double>{2, 5.5}));
  EXPECT_EQ(t.columns[2], (std::vector<double>{3, -6}));
}

TEST(Csv, LastLineWithoutNewline) {
  const CsvTable t = parse("a\n1\n2");
  EXPECT_EQ(t.columns[0], (std::vector<double>{1, 2}));
}

TEST(Csv, QuotedHeaderNamesWithCommasAndQuotes) {
  const CsvTable t = parse("\"a,b\",\"say \"\"hi\"\"\",\" padded \",plain\n1,2,3,4\n");
  EXPECT_EQ(t.names, (std::vector<std::string>{"a,b", "say \"hi\"", " padded ", "plain"}));
  EXPECT_EQ(t.column_index("say \"hi\""), 1u);
}

TEST(Csv, AcceptsCrlf) {
  const CsvTable t = parse("a,b\r\n1,2\r\n3,4\r\n");
  EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.columns[1], (std::vector<double>{2, 4}));
  // Line numbers still count CRLF lines.
  EXPECT_NE(error_of("a,b\r\n1,2\r\n3,x\r\n").find("line 3, column 2"), std::string::npos);
}

TEST(Csv, StripsUtf8Bom) {
  const CsvTable t = parse("\xEF\xBB\xBFid,v\n1,2\n");
  EXPECT_EQ(t.names[0], "id");
  EXPECT_EQ(t.column_index("id"), 0u);
}

TEST(Csv, SkipsBlankAndWhitespaceLines) {
  const CsvTable t = parse("\n  \n\ta,b\n\n1,2\n \t \r\n3,4\n\n\n");
  EXPECT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.columns[0], (std::vector<double>{1, 3}));
  // Skipped lines still count: the bad cell is on physical line 8.
  const std::string m = error_of("\n  \n\ta,b\n\n1,2\n \t \r\n3,4\nfoo,4\n");
  EXPECT_NE(m.find("line 8, column 1 ('a')"), std::string::npos) << m;
}

TEST(Csv, TrimsWhitespaceAroundUnquotedFields) {
  const CsvTable t = parse("  a \t,\tb  \n 1 ,\t2\t\n");
  EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.columns[0][0], 1.0);
  EXPECT_EQ(t.columns[1][0], 2.0);
}

TEST(Csv, ParsesQuotedAndVariousNumberForms) {
  const CsvTable t = parse("a,b,c,d,e,f\n\"1.5\",\" 2 \",1e-3,+2,.5,-0.25E+2\n");
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.columns[0][0], 1.5);
  EXPECT_EQ(t.columns[1][0], 2.0);
  EXPECT_EQ(t.columns[2][0], 1e-3);
  EXPECT_EQ(t.columns[3][0], 2.0);
  EXPECT_EQ(t.columns[4][0], 0.5);
  EXPECT_EQ(t.columns[5][0], -25.0);
}

TEST(Csv, MultiLineQuotedFieldsKeepPhysicalLineNumbers) {
  // Header name spans lines 1-2, a data cell spans lines 3-5; the bad cell is on line 6.
  const std::string text = "\"two\nlines\",b\n\"1\n\n\",2\n3,abc\n";
  const std::string m = error_of(text);
  EXPECT_NE(m.find("data.csv: line 6, column 2 ('b'): not a number: 'abc'"), std::string::npos)
      << m;
  const CsvTable t = parse("\"two\nlines\",b\n\"1\n\n\",2\n");
  EXPECT_EQ(t.names[0], "two\nlines");
  EXPECT_EQ(t.columns[0][0], 1.0);
}

TEST(Csv, EmptyInputIsError) {
  for (const std::string& text : {std::string(), std::string("\n\n  \r\n\t\n"),
                                 std::string("\xEF\xBB\xBF"), std::string("\xEF\xBB\xBF\n")}) {
    const std::string m = error_of(text, "in.csv");
    EXPECT_EQ(m, "in.csv is empty: expected a header row");
  }
}

TEST(Csv, HeaderOnlyIsError) {
  EXPECT_EQ(error_of("a,b\n"), "data.csv has a header but no data rows");
  EXPECT_EQ(error_of("a,b\n\n   \n"), "data.csv has a header but no data rows");
}

TEST(Csv, EmptyHeaderNameIsError) {
  const std::string m = error_of("a,,c\n1,2,3\n");
  EXPECT_NE(m.find("data.csv: line 1, column 2: empty column name: ''"), std::string::npos) << m;
  EXPECT_NE(error_of("a,b,\n1,2,3\n").find("line 1, column 3: empty column name"),
            std::string::npos);
  EXPECT_NE(error_of("\n\"\",b\n1,2\n").find("line 2, column 1: empty column name"),
            std::string::npos);
}

TEST(Csv, DuplicateHeaderNameNamesBothColumns) {
  const std::string m = error_of("x,y,x\n1,2,3\n");
  EXPECT_NE(m.find("data.csv: line 1, column 3: duplicate column name 'x', also column 1"),
            std::string::npos)
      << m;
}

TEST(Csv, WrongFieldCountIsError) {
  EXPECT_EQ(error_of("a,b,c\n1,2,3\n4,5\n"), "data.csv: line 3 has 2 fields, the header has 3");
  EXPECT_EQ(error_of("a,b\n1,2,3\n"), "data.csv: line 2 has 3 fields, the header has 2");
  EXPECT_EQ(error_of("a,b\n1,2,\n"), "data.csv: line 2 has 3 fields, the header has 2");
  EXPECT_EQ(error_of("a,b\n7\n"), "data.csv: line 2 has 1 field, the header has 2");
}

TEST(Csv, NonNumericCellIsError) {
  EXPECT_EQ(error_of("a,bmi\n1,2\n3,abc\n"),
            "data.csv: line 3, column 2 ('bmi'): not a number: 'abc'");
  EXPECT_EQ(error_of("a,b\nNA,2\n"), "data.csv: line 2, column 1 ('a'): not a number: 'NA'");
  EXPECT_EQ(error_of("a,b\n1,\n"),
            "data.csv: line 2, column 2 ('b'): not a number: '' (empty cell)");
  EXPECT_EQ(error_of("a,b\n1,\"  \"\n"),
            "data.csv: line 2, column 2 ('b'): not a number: '  ' (empty cell)");
  // The whole cell must be a number.
  EXPECT_EQ(error_of("a,b\n1.5x,2\n"), "data.csv: line 2, column 1 ('a'): not a number: '1.5x'");
  EXPECT_EQ(error_of("a,b\n1 2,2\n"), "data.csv: line 2, column 1 ('a'): not a number: '1 2'");
  EXPECT_EQ(error_of("a,b\n1,\"3\"\"\"\n"),
            "data.csv: line 2, column 2 ('b'): not a number: '3\"'");
}

TEST(Csv, NonFiniteCellIsError) {
  EXPECT_EQ(error_of("a,b\n1,nan\n"), "data.csv: line 2, column 2 ('b'): not finite: 'nan'");
  EXPECT_EQ(error_of("a,b\ninf,1\n"), "data.csv: line 2, column 1 ('a'): not finite: 'inf'");
  EXPECT_EQ(error_of("a,b\n1,-Infinity\n"),
            "data.csv: line 2, column 2 ('b'): not finite: '-Infinity'");
  EXPECT_EQ(error_of("a,b\n1e999,1\n"), "data.csv: line 2, column 1 ('a'): not finite: '1e999'");
  // Underflow is a finite value, not an error.
  EXPECT_EQ(parse("a\n1e-999\n").columns[0][0], 0.0);
}

TEST(Csv, UnterminatedQuoteNamesOpeningLine) {
  const std::string m = error_of("a,b\n1,2\n3,\"4\n5,6\n7,8\n");
  EXPECT_NE(m.find("data.csv: line 3, column 2 ('b'): unterminated quoted field"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("'\"4\\n5,6\\n7,8\\n'"), std::string::npos) << m;
  EXPECT_NE(error_of("\"abc\n").find("line 1, column 1: unterminated quoted field"),
            std::string::npos);
}

TEST(Csv, TextAfterClosingQuoteIsError) {
  const std::string m = error_of("a,b\n\"1\"2,3\n");
  EXPECT_EQ(m, "data.csv: line 2, column 1 ('a'): unexpected text after closing quote: '2'");
}

TEST(Csv, StrayQuoteInUnquotedFieldIsError) {
  const std::string m = error_of("a,b\n1,2\"\n");
  EXPECT_NE(m.find("data.csv: line 2, column 2 ('b'): stray quote in unquoted field"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("'2\"'"), std::string::npos) << m;
}

TEST(Csv, ErrorTextIsEscapedAndTruncated) {
  const std::string m = error_of(std::string("a\n1\x01\x7f\tz\n"));
  EXPECT_NE(m.find("not a number: '1\\x01\\x7F\\tz'"), std::string::npos) << m;
  const std::string long_cell(10000, 'q');
  const std::string m2 = error_of("a\n" + long_cell + "\n");
  EXPECT_LT(m2.size(), 200u);
  EXPECT_NE(m2.find("'..."), std::string::npos) << m2;
}

TEST(Csv, ColumnIndexFound) {
  const CsvTable t = parse("age,bmi,y\n1,2,3\n");
  EXPECT_EQ(t.column_index("age"), 0u);
  EXPECT_EQ(t.column_index("bmi"), 1u);
  EXPECT_EQ(t.column_index("y"), 2u);
}

TEST(Csv, ColumnIndexNotFoundListsNames) {
  const CsvTable t = parse("age,bmi,y\n1,2,3\n", "study.csv");
  try {
    t.column_index("BMI");
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "study.csv: no column named 'BMI'; the columns are 'age', 'bmi', 'y'");
  }
}

TEST(Csv, ColumnIndexNotFoundWithManyColumnsOmitsList) {
  std::string header;
  std::string row;
  for (int j = 0; j < 50; ++j) {
    header += (j ? ",c" : "c") + std::to_string(j);
    row += j ? ",0" : "0";
  }
  const CsvTable t = parse(header + "\n" + row + "\n");
  EXPECT_EQ(t.column_index("c49"), 49u);
  try {
    t.column_index("c50");
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "data.csv: no column named 'c50' among its 50 columns");
  }
}

TEST(Csv, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("1.5e-3"), "1.5e-3");
  EXPECT_EQ(csv_field("in side"), "in side");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field(" lead"), "\" lead\"");
  EXPECT_EQ(csv_field("trail\t"), "\"trail\t\"");
  EXPECT_EQ(csv_field(""), "\"\"");
}

TEST(Csv, CsvFieldRoundTripsThroughParse) {
  const std::vector<std::string> names = {"plain", "a,b",      "say \"hi\"", "two\nlines",
                                          " pad ", "\"quoted\"", "x\r\ny",   "\ttab",
                                          "é ü"};
  std::string text;
  std::string row;
  for (std::size_t j = 0; j < names.size(); ++j) {
    text += (j ? "," : "") + csv_field(names[j]);
    row += (j ? "," : "") + csv_field(format_number(0.1 * static_cast<double>(j)));
  }
  text += "\r\n" + row + "\r\n";
  const CsvTable t = parse(text);
  EXPECT_EQ(t.names, names);
  ASSERT_EQ(t.rows(), 1u);
  for (std::size_t j = 0; j < names.size(); ++j) {
    EXPECT_EQ(t.columns[j][0], 0.1 * static_cast<double>(j));
    EXPECT_EQ(t.column_index(names[j]), j);
  }
}

TEST(Csv, FormatNumberRoundTripsRandomDoubles) {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-320, 308);
  for (int i = 0; i < 20000; ++i) {
    double v = 0;
    if (i % 3 == 0) {
      // Arbitrary bit patterns cover subnormals and every exponent; skip NaN/Inf.
      std::uint64_t b = rng();
      std::memcpy(&v, &b, sizeof v);
      if (!std::isfinite(v)) continue;
    } else {
      v = unit(rng) * std::pow(10.0, exponent(rng));
      if (!std::isfinite(v)) continue;
    }
    const std::string s = format_number(v);
    const double back = std::strtod(s.c_str(), nullptr);
    ASSERT_EQ(bits_of(back), bits_of(v)) << s;
    ASSERT_LE(s.size(), 24u) << s;
  }
  for (const double v : {std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
                         std::numeric_limits<double>::denorm_min(), 0.1, 1.0 / 3.0, -0.0}) {
    const std::string s = format_number(v);
    EXPECT_EQ(bits_of(std::strtod(s.c_str(), nullptr)), bits_of(v)) << s;
  }
}

TEST(Csv, FormatNumberIsShortAndPrintsIntegersPlainly) {
  EXPECT_EQ(format_number(3.0), "3");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "-0");
  EXPECT_EQ(format_number(-42.0), "-42");
  EXPECT_EQ(format_number(100.0), "100");
  EXPECT_EQ(format_number(1e15), "1000000000000000");
  EXPECT_EQ(format_number(9007199254740993.0), "9007199254740992");  // 2^53 + 1 rounds to 2^53
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(2.5), "2.5");
  EXPECT_EQ(format_number(1e-7), "1e-07");
  EXPECT_EQ(format_number(1e300), "1e+300");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333333333333333");  // 16 digits suffice here
  EXPECT_EQ(format_number(std::nan("")), "nan");
  EXPECT_EQ(format_number(-HUGE_VAL), "-inf");
  // What format_number writes, parse_csv reads back.
  EXPECT_EQ(parse("a\n" + format_number(0.1) + "\n").columns[0][0], 0.1);
}

TEST(Csv, ReadCsvReadsFile) {
  const std::string path = test::temp_dir() + "csv_read.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBFx,y\r\n1,2\r\n3,4\r\n";
  }
  const CsvTable t = read_csv(path);
  EXPECT_EQ(t.source, path);
  EXPECT_EQ(t.names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(t.columns[1], (std::vector<double>{2, 4}));
  std::remove(path.c_str());
}

// The header alone (has_column under mpirun): read_csv's names, a quoted name over two lines
// included, whatever follows (here a row that read_csv refuses); a header's own error as
// read_csv's.
TEST(Csv, ReadCsvHeaderReadsTheFirstRecordAlone) {
  const std::string path = test::temp_dir() + "csv_header.csv";
  const std::string header = "\xEF\xBB\xBF\n  \n\"a,b\",\"two\nlines\", plain \r\n";
  {
    std::ofstream out(path, std::ios::binary);
    out << header << "1,2,3\r\n";
  }
  const std::vector<std::string> names = read_csv(path).names;
  EXPECT_EQ(names, (std::vector<std::string>{"a,b", "two\nlines", "plain"}));
  {
    std::ofstream out(path, std::ios::binary);
    out << header << "1,abc\n";
  }
  EXPECT_EQ(read_csv_header(path), names);
  {
    std::ofstream out(path, std::ios::binary);
    out << "x,x\n1,2\n";
  }
  EXPECT_THROW(read_csv_header(path), InputError);
  std::remove(path.c_str());
  EXPECT_THROW(read_csv_header(path), InputError);
}

TEST(Csv, ReadCsvMissingPathIsError) {
  const std::string path = test::temp_dir() + "no_such_dir/missing.csv";
  try {
    read_csv(path);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open: " + std::strerror(ENOENT));
  }
}

TEST(Csv, ReadCsvOnDirectoryIsError) {
  EXPECT_THROW(read_csv(test::temp_dir()), InputError);
}

TEST(Csv, GarbageOnlyEverThrowsInputError) {
  // Random short inputs biased toward CSV syntax, plus raw bytes; anything but a table or an
  // InputError (another exception, a crash, a hang) fails the test.
  const std::string alphabet = "\"\",,,\n\n\r 1.e-+x\t\xEF\xBB\xBF";
  std::mt19937 rng(7);
  int tables = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text(rng() % 40, '\0');
    for (char& c : text) {
      c = (i % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    try {
      const CsvTable t = parse(text);
      ++tables;
      ASSERT_GT(t.rows(), 0u);
      ASSERT_EQ(t.columns.size(), t.names.size());
      for (const auto& column : t.columns) ASSERT_EQ(column.size(), t.rows());
    } catch (const InputError& e) {
      ASSERT_EQ(std::string(e.what()).rfind("data.csv", 0), 0u) << e.what();
    }
  }
  EXPECT_GT(tables, 0);
}

}  // namespace
}  // namespace regpath::cli
