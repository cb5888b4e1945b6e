# Applies the project's warning set to one target; warnings are errors unless
# DRIVEMIRROR_WERROR is switched off.
function(drivemirror_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                           -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                           -Woverloaded-virtual -Wnull-dereference)
    if(DRIVEMIRROR_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
