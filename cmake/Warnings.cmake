# Warnings on, and warnings in our own code are errors (third-party code is compiled without -Werror).
function(wqlab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror
    # GCC 12 at -O3 reports a false -Wrestrict inside std::string operator+ (GCC bug 105651).
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
endfunction()
