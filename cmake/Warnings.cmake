# Warnings on, and warnings in our own code are errors (third-party code is compiled without -Werror).
function(wqlab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
