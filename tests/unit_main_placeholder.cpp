// Keeps the test executables buildable while a suite has no files yet; gtest_main provides main().
