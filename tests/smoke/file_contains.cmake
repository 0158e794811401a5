# Checks that FILE exists and contains EXPECT_OUTPUT.
if(NOT EXISTS "${FILE}")
  message(FATAL_ERROR "${FILE} does not exist")
endif()
file(READ "${FILE}" text)
string(FIND "${text}" "${EXPECT_OUTPUT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE} does not contain ${EXPECT_OUTPUT}:\n${text}")
endif()
