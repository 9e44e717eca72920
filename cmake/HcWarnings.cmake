# Strict warnings for the project's own targets only (never for LibTorch or Qt headers).
function(hc_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
endfunction()
